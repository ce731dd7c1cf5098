package songview

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2/test"

	"sangstudio/ui/i18n"
	"sangstudio/ui/studio"
)

// TestStatusLineDeviceLost: a device that stopped on its own is said
// plainly (it comes back by itself, the recording is kept), without the
// system's English reason, and warns; once
// back, the line shows the device again.
func TestStatusLineDeviceLost(t *testing.T) {
	test.NewTempApp(t)
	defer i18n.Use("en")
	lost := studio.AudioStatus{Device: "system", Rate: 48000, Latency: 512, Lost: errors.New("the JACK server is gone")}
	for _, c := range []struct {
		lang string
		a    studio.AudioStatus
		want string
		warn bool
	}{
		{"en", lost, "The audio device “system” stopped. Sangstudio will use it again as soon as it is back; what was recorded is kept.", true},
		{"nb", lost, "Lydenheten «system» stoppet. Sangstudio bruker den igjen så snart den er tilbake; det som ble tatt opp, er tatt vare på.", true},
		{"en", studio.AudioStatus{Lost: errors.New("x")}, "The audio device stopped. Sangstudio will use it again as soon as it is back; what was recorded is kept.", true},
		{"en", studio.AudioStatus{Device: "system", Rate: 48000, Latency: 512}, "Sound: system · latency 10.7 ms", false},
	} {
		i18n.Use(c.lang)
		got, warn := statusText(c.a, false)
		if got != c.want || warn != c.warn {
			t.Errorf("%s %+v:\n got %q (warn %v)\nwant %q (warn %v)", c.lang, c.a, got, warn, c.want, c.warn)
		}
	}
}
