package store

import (
	"slices"

	"github.com/consulta/consulta/internal/consulta"
)

// Collections of other packages' records, which the store reads and writes
// for them (reportruns.go, reportfiles.go): scheduled report runs (package
// schedule), the GridFS bucket of report PDFs and that of their HTML twins
// (same ids), whose files and chunks are two collections each.
const (
	ReportRunsName   = "report_runs"
	ReportsBucket    = "reports"
	ReportHTMLBucket = "report_html"
)

// allCollections is every collection Consulta keeps in its database, the one
// list that names them. Open creates them all, so that the first concurrent
// inserts do not race to create them and the embedded store indexes them at
// once; a backup (package backup) archives them, and says so when it finds a
// collection that is not listed here.
var allCollections = []string{responsesName, contactsName, formVersionsName,
	usersName, loginSessionsName, auditName, triageName, focusGroupsName, loginAttemptsName,
	openDataName, ReportRunsName, ReportsBucket + ".files", ReportsBucket + ".chunks",
	ReportHTMLBucket + ".files", ReportHTMLBucket + ".chunks",
	mailListsName, webhookEndpointsName, feedCursorsName, string(consulta.MailOutbox), string(consulta.WebhookOutbox), outboxAttemptsName}

// Collections returns the names of every collection Consulta owns.
func Collections() []string { return slices.Clone(allCollections) }
