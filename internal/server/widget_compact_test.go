package server

import "testing"

func TestCompactScript(t *testing.T) {
	tests := []struct {
		name, in, want string
		fails          bool
	}{
		{"spaces between words stay", "var  a = b ;\nreturn a;", "var a=b;return a;", false},
		{"strings are untouched", "x = 'a  b' + \"c\\\" d\";", "x='a  b'+\"c\\\" d\";", false},
		{"numbers and members", "a . b ( 1 .5 ) ;", "a . b(1 .5);", false},
		{"signs do not merge", "a = b + +c - -d;", "a=b+ +c- -d;", false},
		{"non-ASCII names keep their spaces", "var ñ = 1;", "var ñ=1;", false},
		{"a slash is refused", "a = b / c;", "", true},
		{"a comment is refused", "a = 1; // one", "", true},
		{"a template literal is refused", "a = `x`;", "", true},
		{"an open string is refused", "a = 'x;", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := compactScript([]byte(tt.in))
			if (err != nil) != tt.fails {
				t.Fatalf("err = %v, want failure %t", err, tt.fails)
			}
			if !tt.fails && string(got) != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
