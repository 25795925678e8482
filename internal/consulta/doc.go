// Package consulta holds Consulta's domain types and errors. It imports neither HTTP
// nor the database: the packages that talk to Fiber, MongoDB, PDF or the scheduler
// depend on it, never the other way round.
package consulta
