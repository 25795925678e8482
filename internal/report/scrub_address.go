package report

import (
	"regexp"
	"slices"
	"strings"
)

// addressFinder finds Guatemalan addresses that point at a home:
//
//   - a street and a house number, "5a. avenida 3-45 zona 1", "Avenida
//     Reforma 8-60, zona 9", "12 calle A 3-45", and a house number with its
//     zone, "3-45 zona 1";
//   - a kilometre of a road, "km 17.5 carretera a El Salvador";
//   - the parts of a home in a colonia or a village, "casa 12, lote 4,
//     colonia Los Álamos", "manzana B lote 15", "casa No. 5": at least two
//     of them, one numbered, or one numbered with "No.", "#" or "número".
//
// A street, a zone or a colonia named alone ("en la 5a. avenida", "la zona
// 1", "la colonia El Milagro") is a place many people share and is kept, and
// so is a number after "casa" alone ("en casa 3 niños comparten una
// computadora").
type addressFinder struct {
	street, houseZone, km, trailing *regexp.Regexp
	numbered, named, gap            *regexp.Regexp
	// homeWords are words one of which every home address holds (the
	// beginnings of the numbered parts' names).
	homeWords []string
}

func newAddressFinder() *addressFinder {
	connector := `(?i:a|al|hacia|de|del|la|el|los|las|san|santa)\b`
	// A proper name: capitalized words (and numbers, road codes such as
	// "CA-1") and the short words between them.
	properName := `(?:[ ]+(?:` + connector + `|[\p{Lu}\d][\p{L}\d'\-]*))`
	house := `\d{1,3}[ ]?-[ ]?\d{1,3}(?:[A-Za-z]\b)?`
	zone := `[ ]*,?[ ]*(?i:zona|z)\.?[ ]?\d{1,2}\b`
	return &addressFinder{
		homeWords: strings.Fields("casa lote lt mz manzana ap sector secc bloque edificio torre"),
		street: regexp.MustCompile(`(?:\b\d{1,2}[ ]?(?i:a|o|ra|ro|da|do|ta|to|va|vo|na|no|ma|mo)?\.?[ ]*)?` +
			`\b(?i:avenida|avda|av|ave|calle|calzada|calz|diagonal|diag|boulevard|bulevar|blvd|callej[oó]n|pasaje|ruta)\b\.?` +
			`(?:[ ]+(?:[\p{L}'"]+\.?|\d{1,2})){0,4}[ ]*,?[ ]*(?:(?i:no|n[uú]mero|n°)\.?[ ]*|#[ ]*)?` +
			house + `(?:` + zone + `)?`),
		houseZone: regexp.MustCompile(`\b` + house + zone),
		km: regexp.MustCompile(`\b(?i:km|kms|kil[oó]metro)\.?[ ]?\d{1,3}(?:[.,]\d{1,3})?\b` +
			`(?:[ ]*,?[ ]*(?i:(?:de|en)[ ]+la[ ]+|de[ ]+)?(?i:carretera|ruta|autopista|camino|calzada|v[ií]a)\b` + properName + `{0,5})?`),
		trailing: regexp.MustCompile(`(?:[ ]+` + connector + `)+$`),
		numbered: regexp.MustCompile(`\b(?i:casa|lote|lt|manzana|mz|mza|apartamento|apto|apt|sector|secci[oó]n|bloque|edificio|torre)\.?` +
			`[ ]*((?i:no|n[uú]m|n[uú]mero|n°)\.?[ ]*|#[ ]*)?` +
			`(?:\d{1,4}(?:[ ]?-[ ]?\d{1,4})?(?:[ ]?[A-Za-z]\b)?|[A-Z](?:[ ]?-[ ]?\d{1,3})?\b)`),
		named: regexp.MustCompile(`\b(?i:colonia|col|residencial|residenciales|condominio|lotificaci[oó]n|aldea|caser[ií]o|cant[oó]n|barrio|finca|parcelamiento|asentamiento|urbanizaci[oó]n)\.?` +
			properName + `{1,5}`),
		gap: regexp.MustCompile(`^[ ]*(?:[,;\-]|(?i:y|de la|del|de|en la|en))?[ ]*$`),
	}
}

// find appends the addresses of f as spans replaced by placeholder.
func (a *addressFinder) find(f *folded, c clues, placeholder string, spans []span) []span {
	if c.digits > 0 { // a house number or a kilometre
		spans = a.streets(f, placeholder, spans)
	}
	if containsAny(c.lower, a.homeWords) {
		spans = a.homes(f, placeholder, spans)
	}
	return spans
}

// streets finds a street and its house number, a house number and its
// zone, a kilometre of a road.
func (a *addressFinder) streets(f *folded, placeholder string, spans []span) []span {
	for _, re := range []*regexp.Regexp{a.street, a.houseZone, a.km} {
		for _, m := range re.FindAllIndex(f.b, -1) {
			end := m[1]
			if t := a.trailing.FindIndex(f.b[m[0]:end]); t != nil {
				end = m[0] + t[0]
			}
			spans = f.take(m[0], end, placeholder, spans)
		}
	}
	return spans
}

// part is one part of a home's address: "casa 12", "colonia Los Álamos".
type part struct {
	from, to int
	numbered bool
	marked   bool // "No.", "#", "número" before the number
}

// homes finds runs of home parts next to each other and takes those that
// point at one home.
func (a *addressFinder) homes(f *folded, placeholder string, spans []span) []span {
	var parts []part
	for _, m := range a.numbered.FindAllSubmatchIndex(f.b, -1) {
		parts = append(parts, part{from: m[0], to: m[1], numbered: true, marked: m[2] >= 0})
	}
	for _, m := range a.named.FindAllIndex(f.b, -1) {
		end := m[1]
		if t := a.trailing.FindIndex(f.b[m[0]:end]); t != nil {
			end = m[0] + t[0]
		}
		parts = append(parts, part{from: m[0], to: end})
	}
	slices.SortFunc(parts, func(x, y part) int { return x.from - y.from })
	for i := 0; i < len(parts); {
		j, numbered, named, marked := i, 0, 0, false
		for ; j < len(parts); j++ {
			p := parts[j]
			if j > i && (p.from < parts[j-1].to || !a.gap.Match(f.b[parts[j-1].to:p.from])) {
				break
			}
			if p.numbered {
				numbered++
				marked = marked || p.marked
			} else {
				named++
			}
		}
		if numbered >= 2 || numbered >= 1 && (named >= 1 || marked) {
			spans = f.take(parts[i].from, parts[j-1].to, placeholder, spans)
		}
		i = j
	}
	return spans
}
