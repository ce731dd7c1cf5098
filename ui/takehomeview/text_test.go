package takehomeview_test

import (
	"os"
	"strings"
	"testing"

	"sangstudio/projects/takehome"
)

// A performer typed with a control character is refused before anything
// is copied, in plain words; the song keeps its performer.
func TestPerformerWithControlCharacterRefused(t *testing.T) {
	st, v, sk := setup(t, "en")
	stick := t.TempDir()
	sk.set(takehome.Drive{Path: stick, Label: "KARI", Free: 8 << 30, Total: 16 << 30, Removable: true, FSType: "vfat"})
	waitFor(t, "the stick to show up", func() bool { return v.Selected() == stick })
	before := st.Song().Performer
	v.SetPerformer("Kari\x1b]0;x\a")
	v.Copy()
	waitFor(t, "the refusal", func() bool { return !v.Running() && v.Result() != "" })
	want := "The song could not be copied.\nThis name has an invisible control character (ESC) at character 5. Names are plain text on one line: please remove it."
	if v.Result() != want {
		t.Errorf("result %q, want %q", v.Result(), want)
	}
	if st.Song().Performer != before {
		t.Errorf("performer became %q", st.Song().Performer)
	}
	if es, _ := os.ReadDir(stick); len(es) != 0 || strings.Contains(v.Result(), "safe to remove") {
		t.Errorf("something was copied: %v", es)
	}
}
