package consulta

import "time"

// ReportFile describes a stored report file: a PDF, or its HTML twin.
type ReportFile struct {
	ID       string
	Name     string
	Size     int64
	Uploaded time.Time
	// Metadata decodes the file's metadata, as given when it was saved, into
	// its argument. The store sets it: this package knows no encoding.
	Metadata func(v any) error
}

// DecodeMetadata decodes the file's metadata into v; a file stored without
// any leaves v as it is.
func (f ReportFile) DecodeMetadata(v any) error {
	if f.Metadata == nil {
		return nil
	}
	return f.Metadata(v)
}
