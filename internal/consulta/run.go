package consulta

// States of a scheduled report run. Package schedule keeps the run records;
// the store takes a run over by them (a failed run whose next try has come,
// a running one whose lease ran out), so they live here, where both see them.
const (
	RunRunning = "running"
	RunDone    = "done"
	// RunFailed is a run whose last attempt failed: it is tried again at its
	// next try, and so on until it succeeds.
	RunFailed = "failed"
)
