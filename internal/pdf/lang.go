package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// withLanguage adds the document language (/Lang) to the PDF catalog, which
// gofpdf cannot do: screen readers need it to read the report in the right
// voice. gofpdf writes the catalog as the last object, just before the
// cross-reference table, so inserting a line there moves nothing but the
// startxref offset, which is fixed up here.
func withLanguage(doc []byte, lang string) ([]byte, error) {
	if lang == "" {
		return doc, nil
	}
	for _, c := range lang {
		if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return nil, fmt.Errorf("pdf: invalid language tag %q", lang)
		}
	}
	const catalog = "/Type /Catalog\n"
	const startxref = "\nstartxref\n"
	at := bytes.LastIndex(doc, []byte(catalog))
	sx := bytes.LastIndex(doc, []byte(startxref))
	if at < 0 || sx < at {
		return nil, errors.New("pdf: catalog not found where gofpdf writes it")
	}
	numStart := sx + len(startxref)
	numEnd := bytes.IndexByte(doc[numStart:], '\n')
	if numEnd < 0 {
		return nil, errors.New("pdf: malformed startxref")
	}
	offset, err := strconv.Atoi(string(doc[numStart : numStart+numEnd]))
	if err != nil || offset < at {
		return nil, errors.New("pdf: malformed startxref")
	}
	insert := []byte("/Lang (" + lang + ")\n")
	var out bytes.Buffer
	out.Grow(len(doc) + len(insert) + 4)
	out.Write(doc[:at+len(catalog)])
	out.Write(insert)
	out.Write(doc[at+len(catalog) : numStart])
	out.WriteString(strconv.Itoa(offset + len(insert)))
	out.Write(doc[numStart+numEnd:])
	return out.Bytes(), nil
}
