package auth

import "github.com/consulta/consulta/internal/consulta"

// Roles of the workspace (docs/workspace.md, "Roles").
const (
	RoleAdmin       = "admin"       // users, forms, schedules, everything
	RoleAnalyst     = "analyst"     // responses without contact data, triage, reports, exports
	RoleFacilitator = "facilitator" // their own organisation's focus-group sessions only
)

// Roles lists every role.
func Roles() []string { return []string{RoleAdmin, RoleAnalyst, RoleFacilitator} }

// ValidRole reports whether r is a role.
func ValidRole(r string) bool {
	return r == RoleAdmin || r == RoleAnalyst || r == RoleFacilitator
}

// Permission is something a route needs.
type Permission int

// Permissions. Session-scoped ones are further checked with CanRunSession.
const (
	ReadResponses      Permission = iota // the responses browser, one response, live results
	Triage                               // status, tags, notes, actions
	Export                               // CSV and JSON Lines exports
	ViewContacts                         // contact data (audited)
	ManageUsers                          // accounts and roles
	ReadAudit                            // the audit log
	ViewSessions                         // focus-group sessions (facilitators: their organisation's)
	RunSessions                          // create sessions, batch entry, imports
	ManageIntegrations                   // e-mail distribution lists, webhook endpoints (admins)
	// RevealContact shows one response's contact, on an explicit request
	// that is audited, to reply to a citizen who asked for a reply: admins,
	// and analysts an admin allowed (consulta.User.Replies); never facilitators.
	RevealContact
)

// Can reports whether u's role grants p.
func Can(u *consulta.User, p Permission) bool {
	if u == nil || u.Disabled {
		return false
	}
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleAnalyst:
		return p == ReadResponses || p == Triage || p == Export || p == ViewSessions ||
			(p == RevealContact && u.Replies)
	case RoleFacilitator:
		return p == ViewSessions || p == RunSessions
	}
	return false
}

// CanSeeSession reports whether u may see the focus-group session g: admins
// and analysts see all, facilitators only their organisation's.
func CanSeeSession(u *consulta.User, g *consulta.FocusGroup) bool {
	if !Can(u, ViewSessions) {
		return false
	}
	return u.Role != RoleFacilitator || (u.Org != "" && u.Org == g.Org)
}

// CanRunSession reports whether u may change g or enter answers into it.
func CanRunSession(u *consulta.User, g *consulta.FocusGroup) bool {
	if !Can(u, RunSessions) {
		return false
	}
	return u.Role == RoleAdmin || (u.Org != "" && u.Org == g.Org)
}
