package store

import "testing"

// The password of Options reaches the driver's credential for the user the
// URI names, with the URI's own authentication source.
func TestClientOptionsPassword(t *testing.T) {
	o := Options{URI: "mongodb://consulta@mongo1:27017,mongo2:27017/?replicaSet=rs0&authSource=admin", Password: "pw"}
	auth := clientOptions(o.withDefaults()).Auth
	if auth == nil || auth.Username != "consulta" || auth.Password != "pw" || !auth.PasswordSet || auth.AuthSource != "admin" {
		t.Fatalf("credential %+v", auth)
	}
	if auth := clientOptions(Options{URI: "mongodb://mongo1:27017/"}.withDefaults()).Auth; auth != nil {
		t.Fatalf("no user, credential %+v", auth)
	}
}
