package layers

import (
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// windowsPending are the packages that do not yet build for Windows
// without cgo, and why (issue 23). The list only shrinks: a package that
// is not on it must build (TestWindowsBuild), and an entry for a package
// that no longer exists fails the test.
var windowsPending = map[string]string{
	"audio/bounce":               "LAME (cgo, github.com/viert/go-lame)",
	"audio/encode":               "LAME (cgo)",
	"audio/master":               "LAME (cgo), through audio/encode",
	"audio/cdmake":               "LAME and soxr (cgo)",
	"ui/songview":                "LAME and PortAudio (cgo)",
	"ui/studio":                  "LAME, soxr and PortAudio (cgo)",
	"ui/takehomeview":            "LAME and PortAudio (cgo)",
	"audio/resample":             "soxr (cgo)",
	"audio/importer":             "soxr (cgo), through audio/resample",
	"audio/playfile":             "soxr (cgo), through audio/resample",
	"ui/libraryview":             "soxr (cgo), through audio/resample",
	"audio/device":               "PortAudio, JACK and ALSA (cgo)",
	"audio/calibrate":            "PortAudio (cgo), through audio/device",
	"audio/session":              "PortAudio (cgo), through audio/device",
	"ui/explain":                 "PortAudio (cgo), through audio/device",
	"ui/settingsview":            "PortAudio (cgo), through audio/device",
	"midi/input":                 "RtMidi and ALSA (cgo)",
	"internal/jackclient":        "JACK (cgo)",
	"internal/testtool/jackkeys": "JACK (cgo); a test kit",
	"internal/testtool":          "jack.go runs the tests' private JACK server (Pdeathsig, syscall.Kill); a test kit",
	"audio/cdburn":               "drives.go finds optical drives through /dev and /sys (part 3: IMAPI2)",
	"ui/cdview":                  "audio/cdburn",
	"projects/takehome":          "drives.go lists USB sticks from /proc/self/mountinfo and /sys (part 3: GetDriveType)",
	"ui/app":                     "Fyne's GLFW driver (cgo: OpenGL)",
	"cmd/sangstudio":             "ui/app (Fyne, cgo)",
	"scripts/fynehello":          "ui/app (Fyne, cgo)",
}

// TestWindowsBuild cross-compiles, for Windows without cgo, every package
// of the module that windowsPending does not list: the platform split
// keeps them building there, checked on Linux.
func TestWindowsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles most of the module")
	}
	pkgs, root := goList(t)
	var build []string
	seen := map[string]bool{}
	for path, p := range pkgs {
		if !p.inModule() {
			continue
		}
		rel := strings.TrimPrefix(path, module+"/")
		if _, ok := windowsPending[rel]; ok {
			seen[rel] = true
			continue
		}
		build = append(build, path)
	}
	for rel := range windowsPending {
		if !seen[rel] {
			t.Errorf("windowsPending lists %s, which is no longer a package: remove it", rel)
		}
	}
	sort.Strings(build)
	if len(build) < 30 {
		t.Fatalf("only %d packages to cross-compile: the check would check little", len(build))
	}
	cmd := exec.Command("go", append([]string{"build", "-o", os.DevNull}, build...)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("GOOS=windows CGO_ENABLED=0 go build of %d packages: %v\n%s\n(a package that needs cgo, or waits for part 3 of issue 23, goes into windowsPending with the reason)", len(build), err, out)
	}
}
