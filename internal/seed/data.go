package seed

// departmentPopulation is the population of each department by INE code, from
// the 2018 census (XII Censo Nacional de Población), rounded: the weights
// that spread synthetic responses over the country.
func departmentPopulation() map[string]int {
	return map[string]int{
		"01": 3015081, // Guatemala
		"02": 176632,  // El Progreso
		"03": 330469,  // Sacatepéquez
		"04": 615776,  // Chimaltenango
		"05": 733181,  // Escuintla
		"06": 396607,  // Santa Rosa
		"07": 421583,  // Sololá
		"08": 418569,  // Totonicapán
		"09": 799101,  // Quetzaltenango
		"10": 554695,  // Suchitepéquez
		"11": 326828,  // Retalhuleu
		"12": 1032277, // San Marcos
		"13": 1170669, // Huehuetenango
		"14": 949261,  // Quiché
		"15": 299476,  // Baja Verapaz
		"16": 1215038, // Alta Verapaz
		"17": 545600,  // Petén
		"18": 408688,  // Izabal
		"19": 245374,  // Zacapa
		"20": 415063,  // Chiquimula
		"21": 342923,  // Jalapa
		"22": 488395,  // Jutiapa
	}
}

// portalPages are pages of the ministry's portal where the widget could be
// embedded, the most visited first.
func portalPages() []string {
	base := "https://www.mineduc.gob.gt/portal/"
	paths := []string{
		"index.asp", "transparencia/", "estadisticas/", "estadisticas/matricula/",
		"transparencia/ejecucion-presupuestaria/", "establecimientos/buscador/",
		"calendario-escolar/", "evaluacion/resultados-graduandos/", "docentes/convocatorias/",
		"transparencia/informacion-publica-de-oficio/", "transparencia/compras-y-contrataciones/",
		"programas/alimentacion-escolar/", "programas/becas/", "estadisticas/indicadores/",
		"transparencia/pactos-colectivos/", "infraestructura/", "tramites/certificados/",
		"tramites/equivalencias/", "estadisticas/anuario/", "transparencia/viajes/",
		"transparencia/informes-de-gestion/", "educacion-bilingue/", "educacion-especial/",
		"transparencia/solicitud-de-informacion/", "estadisticas/datos-abiertos/",
		"normativa/", "noticias/", "contacto/",
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = base + p
	}
	return out
}

// texts are the Spanish phrases comments are made of.
type texts struct {
	missing, lookingFor, suggestions, general []string
	other                                     []string
	personal                                  []string // %d gets a random number
	firstNames, lastNames                     []string
}

func spanishTexts() texts {
	t := texts{
		missing: []string{
			"Necesito datos de matrícula por municipio y por sexo, actualizados cada año.",
			"Sería útil poder descargar los datos en Excel y no solo en PDF.",
			"No encuentro la ejecución presupuestaria por establecimiento educativo.",
			"Los resultados de las evaluaciones de graduandos deberían publicarse por departamento.",
			"Falta información sobre el programa de alimentación escolar en el área rural.",
			"Me gustaría ver cuántos docentes hay por escuela en mi municipio.",
			"La página es difícil de usar desde el teléfono; los archivos pesan demasiado.",
			"Publiquen los pactos colectivos completos, con sus anexos.",
			"Necesitamos datos desagregados por pueblo y comunidad lingüística.",
			"Los enlaces a las estadísticas de años anteriores no funcionan.",
			"Quisiera una API para consultar los establecimientos y sus códigos.",
			"Información sobre infraestructura escolar: aulas, servicios sanitarios y acceso a agua.",
			"Las tasas de cobertura por nivel educativo no se actualizan desde hace dos años.",
			"Sería bueno tener mapas interactivos con los establecimientos de cada municipio.",
			"Falta explicar qué significa cada indicador; hay demasiadas siglas.",
			"No hay información sobre becas ni sobre cómo solicitarlas.",
			"Los datos de abandono escolar deberían publicarse cada trimestre.",
			"Me cuesta entender las tablas de ejecución presupuestaria; un resumen ayudaría.",
		},
		lookingFor: []string{
			"El listado de establecimientos de mi municipio",
			"Los resultados de graduandos del año pasado",
			"El calendario escolar de este año",
			"Cómo obtener mi certificado de estudios",
			"Información sobre la contratación de docentes",
			"El presupuesto asignado a las escuelas de Huehuetenango",
			"Los requisitos para la inscripción en el ciclo básico",
			"Estadísticas de matrícula por departamento",
			"Los resultados de la convocatoria de plazas docentes",
			"La guía del programa de alimentación escolar",
			"Datos de abandono escolar por municipio",
			"El informe de ejecución presupuestaria del último trimestre",
			"Dónde presentar una solicitud de información pública",
		},
		suggestions: []string{
			"Sugiero que publiquen los datos en formato abierto, no solo en PDF escaneado.",
			"El buscador del portal no encuentra los documentos por su nombre.",
			"Agradecería que la información estuviera también en idiomas mayas.",
			"Las tablas deberían poder descargarse completas en Excel.",
			"Sería útil un resumen sencillo de cada informe para madres y padres de familia.",
			"Hay enlaces rotos en la sección de estadísticas educativas.",
			"Publiquen el avance de la construcción de escuelas en mi comunidad.",
			"Por favor actualicen el directorio de establecimientos; muchos datos están desactualizados.",
			"La página carga muy lento en el área rural; reduzcan el tamaño de los archivos.",
			"Deberían informar cuándo se transfieren los fondos de alimentación escolar a las organizaciones de padres.",
		},
		general: []string{
			"La información es útil, pero cuesta encontrarla.",
			"Gracias por preguntar; espero que tomen en cuenta nuestras opiniones.",
			"Los datos deberían actualizarse con más frecuencia.",
		},
		other: []string{
			"Becas y ayudas económicas", "Transporte escolar", "Útiles escolares",
			"Educación especial", "Listados de graduandos", "Seguro médico escolar",
		},
		personal: []string{
			"Mi correo es maria.lopez%d@example.org.",
			"Pueden llamarme al 5512 %d.",
			"Mi número es +502 4123-%d.",
			"Mi DPI es 2456 7%d 0101.",
			"Escríbanme a jperez%d@example.com",
		},
		firstNames: []string{"Ana", "María", "José", "Juan", "Luis", "Carmen", "Rosa", "Carlos", "Marta", "Pedro", "Lucía", "Francisco", "Ixchel", "Andrea", "Diego", "Sofía"},
		lastNames:  []string{"López", "García", "Pérez", "Hernández", "Morales", "Castillo", "Ajú", "Tzul", "Xicará", "Cux", "Chávez", "Ramírez", "Tuyuc", "Batz"},
	}
	return t
}
