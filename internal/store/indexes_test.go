package store

import "testing"

func TestChooseResponseIndex(t *testing.T) {
	tests := []struct {
		eq   []string
		want string
	}{
		{nil, "received"},
		{[]string{fieldForm}, "form_received"},
		{[]string{fieldLang}, "lang_received"},
		{[]string{fieldForm, fieldLang}, "form_lang_received"},
		{[]string{fieldForm, fieldDepartment, fieldLang, fieldStatus}, "form_department_received"},
		{[]string{fieldForm, fieldStatus, fieldChannel}, "form_status_received"},
		{[]string{fieldSession, fieldForm, fieldStatus}, "session_received"},
		{[]string{fieldSession, fieldLang}, "session_received"},
		{[]string{fieldDepartment, fieldChannel}, "department_received"},
	}
	for _, tt := range tests {
		if got := chooseResponseIndex(tt.eq).name; got != tt.want {
			t.Errorf("chooseResponseIndex(%v) = %s, want %s", tt.eq, got, tt.want)
		}
	}
}
