package forms

import "testing"

func TestNamesFrom(t *testing.T) {
	tests := []struct{ in, id, value string }{
		{"edad", "edad", "edad"},
		{"Edad_Años", "edad_anos", "edad_anos"},
		{" grupo-1.q ", "grupo_1_q", "grupo-1_q"},
		{"¿Qué?", "_que_", "_que_"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := QuestionIDFrom(tt.in); got != tt.id {
			t.Errorf("QuestionIDFrom(%q) = %q, want %q", tt.in, got, tt.id)
		}
		if got := OptionValueFrom(tt.in); got != tt.value {
			t.Errorf("OptionValueFrom(%q) = %q, want %q", tt.in, got, tt.value)
		}
	}
	if !ValidQuestionID("edad_anos") || ValidQuestionID("") || ValidOptionValue("a b") || !ValidFormID("mi-form") {
		t.Error("Valid* disagree with the form format")
	}
}
