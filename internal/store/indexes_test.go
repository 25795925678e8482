package store

import "testing"

func TestChooseResponseIndex(t *testing.T) {
	tests := []struct {
		eq       []string
		want     string // on MongoDB
		embedded string // on the embedded store, when another
	}{
		{nil, "received", ""},
		{[]string{fieldForm}, "form_received", ""},
		{[]string{fieldLang}, "lang_received", "received"},
		{[]string{fieldForm, fieldLang}, "form_lang_received", "form_received"},
		{[]string{fieldForm, fieldDepartment, fieldLang, fieldStatus}, "form_department_received", ""},
		{[]string{fieldForm, fieldStatus, fieldChannel}, "form_status_received", ""},
		{[]string{fieldSession, fieldForm, fieldStatus}, "session_received", ""},
		{[]string{fieldSession, fieldLang}, "session_received", ""},
		{[]string{fieldDepartment, fieldChannel}, "department_received", ""},
		{[]string{fieldStatus, fieldChannel}, "status_received", "received"},
	}
	for _, tt := range tests {
		if got := chooseResponseIndex(responseIndexes, tt.eq).name; got != tt.want {
			t.Errorf("on MongoDB, chooseResponseIndex(%v) = %s, want %s", tt.eq, got, tt.want)
		}
		want := tt.embedded
		if want == "" {
			want = tt.want
		}
		if got := chooseResponseIndex(embeddedIndexes(responseIndexes), tt.eq).name; got != want {
			t.Errorf("on the embedded store, chooseResponseIndex(%v) = %s, want %s", tt.eq, got, want)
		}
	}
}
