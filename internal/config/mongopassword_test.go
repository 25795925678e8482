package config

import (
	"strings"
	"testing"
)

// The password of the MongoDB user comes from a secret file, apart from the
// URI that names the user; a URI without a user, or with a password of its
// own, is refused with a line that says so and never shows the password.
func TestMongoPasswordFromFile(t *testing.T) {
	const uri = "mongodb://consulta@mongo1:27017,mongo2:27017,mongo3:27017/consulta?replicaSet=rs0&authSource=admin"
	secret := strings.Repeat("k", 32)
	cfg, err := load(t, nil, map[string]string{
		"CONSULTA_MONGODB_URI":           uri,
		"CONSULTA_MONGODB_PASSWORD_FILE": "/run/secrets/mongo_app_password",
		"CONSULTA_SECRET_KEY":            secret,
	}, map[string]string{"/run/secrets/mongo_app_password": "s3cr3t-pw\n"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MongoPassword != "s3cr3t-pw" || cfg.MongoURI != uri {
		t.Fatalf("password %q, uri %q", cfg.MongoPassword, cfg.MongoURI)
	}

	for uri, want := range map[string]string{
		"":                                       "needs CONSULTA_MONGODB_URI",
		"mongodb://mongo1:27017/?replicaSet=rs0": "names no user",
		"mongodb://@mongo1:27017/":               "names no user",
		"mongodb://consulta:inline@mongo1:27017": "has a password too",
		"mongodb+srv://a:b@cluster.example.org/": "has a password too",
	} {
		_, err := load(t, nil, map[string]string{"CONSULTA_MONGODB_URI": uri, "CONSULTA_SECRET_KEY": secret,
			"CONSULTA_MONGODB_PASSWORD": "s3cr3t-pw"}, nil)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "CONSULTA_MONGODB_PASSWORD") {
			t.Errorf("uri %q: %v, want an error about CONSULTA_MONGODB_PASSWORD that %s", uri, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cr3t-pw") {
			t.Errorf("uri %q: the error shows the password: %v", uri, err)
		}
	}
}
