package schedule

import "context"

// Get returns a stored report's description without its content. A missing
// id is an ENOTFOUND error.
func (a *Archive) Get(ctx context.Context, id string) (StoredReport, error) {
	f, err := a.st.ReportFile(ctx, id)
	if err != nil {
		return StoredReport{}, err
	}
	return describe(f), nil
}
