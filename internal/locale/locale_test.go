package locale_test

import (
	"os"
	"testing"

	"sangstudio/internal/locale"
)

func TestTidy(t *testing.T) {
	t.Setenv("LC_ALL", "C.UTF-8")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "nb_NO.UTF-8")
	t.Setenv("LC_CTYPE", "")
	locale.Tidy()
	if _, set := os.LookupEnv("LC_ALL"); set {
		t.Error("LC_ALL=C.UTF-8 was kept")
	}
	if os.Getenv("LANG") != "nb_NO.UTF-8" || os.Getenv("LC_CTYPE") != "C.UTF-8" {
		t.Errorf("LANG=%q LC_CTYPE=%q", os.Getenv("LANG"), os.Getenv("LC_CTYPE"))
	}
	for _, c := range []struct {
		v   string
		isC bool
	}{{"C", true}, {"POSIX", true}, {"C.utf8", true}, {"nb_NO.UTF-8", false}, {"", false}, {"Catalan", false}} {
		if locale.IsC(c.v) != c.isC {
			t.Errorf("IsC(%q) = %v", c.v, !c.isC)
		}
	}
}
