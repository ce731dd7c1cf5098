package songview_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/engine"
	"sangstudio/audio/session"
	"sangstudio/ui/i18n"
	"sangstudio/ui/songview"
	"sangstudio/ui/studio"
	"sangstudio/ui/widgets"
)

// armButtons are the strips' round record buttons, in track order.
func armButtons(w fyne.Window, tip string) []*widgets.TipButton {
	var arms []*widgets.TipButton
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widgets.TipButton); ok && b.Tip == tip {
			arms = append(arms, b)
		}
	})
	return arms
}

// shown is every text of the window's visible labels, one a line.
func shown(w fyne.Window) string {
	var b strings.Builder
	var rec func(o fyne.CanvasObject)
	rec = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, ch := range c.Objects {
				rec(ch)
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(c).Objects() {
				rec(ch)
			}
		}
	}
	rec(w.Canvas().Content())
	return b.String()
}

func waitDevice(t *testing.T, st *studio.Studio, v *view) {
	t.Helper()
	waitFor(t, v, "the virtual device", func() bool {
		return st.Audio().Device != "" && !st.Audio().Starting && st.Listening() == (st.ArmedCount() > 0 && st.Audio().Keep > 0)
	})
}

// lastError is the last error the view showed.
func lastError(t *testing.T, v *view, n int) error {
	t.Helper()
	if len(v.errs) != n {
		t.Fatalf("%d errors shown, want %d: %v", len(v.errs), n, v.errs)
	}
	return v.errs[n-1]
}

const listening = "Listening (the last 2 min are kept)"

// TestKeepThatWhilePlaying: with nothing armed, Keep that explains what to
// do; with track 1 armed and the song playing, it turns what the track
// heard since Play into a take on it ("Kept take …"), one undo step.
func TestKeepThatWhilePlaying(t *testing.T) {
	st, v, w := setupKeep(t, 2*time.Minute)
	waitDevice(t, st, v)
	tr := st.Song().Tracks[0]
	lanes := len(tr.Lanes)

	test.Tap(button(t, w, "Keep that"))
	err := lastError(t, v, 1)
	if !errors.Is(err, session.ErrNothingToKeep) || !strings.HasPrefix(err.Error(), "No track is ready to record, so there is nothing to keep.") {
		t.Fatalf("Keep that with nothing armed: %v", err)
	}

	// Monitoring on, so that track 1's meter shows when the engine has its
	// arm: the arm reaches the engine through the audio worker, and Play
	// tapped before it does would start the kept take late.
	test.Tap(armButtons(w, "Monitor: hear the input while armed")[0])
	test.Tap(armButtons(w, "Ready to record (arm) (A)")[0])
	if !st.Armed(0) {
		t.Fatal("the strip's record button did not arm track 1")
	}
	waitFor(t, v, "track 1 to hear its input", func() bool { peak, _ := st.TrackMeter(0); return peak > 0 })
	test.Tap(button(t, w, "Play"))
	waitFor(t, v, "a second and a half of playing", func() bool {
		return findButton(w, "Playing") != nil && st.Position() > 72000
	})
	test.Tap(button(t, w, "Keep that"))
	waitFor(t, v, "the kept take on track 1", func() bool { return len(st.Song().Tracks[0].Lanes) == lanes+1 })
	tr = st.Song().Tracks[0]
	if !strings.HasPrefix(tr.ActiveLane, "Kept take") || len(tr.Clips) != 1 {
		t.Fatalf("track 1 after Keep that: lane %q, clips %+v", tr.ActiveLane, tr.Clips)
	}
	if c := tr.Clips[0]; c.Position > 4800 || c.Length < 60000 {
		t.Errorf("the kept take is not what was played since Play, at its place: %+v", c)
	}
	if st.UndoLabel() != "Keep that" {
		t.Errorf("undo label %q, want Keep that", st.UndoLabel())
	}
	if len(v.errs) != 1 {
		t.Errorf("errors: %v", v.errs)
	}
	test.Tap(button(t, w, "Stop"))
	waitFor(t, v, "stopped", func() bool { return st.State() == engine.Stopped })
	test.Tap(button(t, w, "Undo"))
	waitFor(t, v, "undo of Keep that", func() bool { return len(st.Song().Tracks[0].Lanes) == lanes })
	if strings.HasPrefix(st.Song().Tracks[0].ActiveLane, "Kept take") {
		t.Error("one undo did not take the kept take off the track")
	}
}

// TestListeningIndicator: the song view says it is listening while an
// armed track is kept for Keep that, and not when disarmed or when Keep
// that is off (then Keep that says it is off).
func TestListeningIndicator(t *testing.T) {
	st, v, w := setupKeep(t, 2*time.Minute)
	waitDevice(t, st, v)
	if strings.Contains(shown(w), "Listening") {
		t.Fatal("listening with nothing armed")
	}
	arm := armButtons(w, "Ready to record (arm) (A)")
	test.Tap(arm[1])
	if !strings.Contains(shown(w), listening) {
		t.Fatalf("no %q with track 2 armed:\n%s", listening, shown(w))
	}
	test.Tap(arm[1])
	if strings.Contains(shown(w), "Listening") {
		t.Fatal("still listening after disarming")
	}

	st.SetAudioConfig(sineConfig(0)) // Keep that off
	waitDevice(t, st, v)
	test.Tap(arm[1])
	if !st.Armed(1) || strings.Contains(shown(w), "Listening") {
		t.Fatalf("armed %v with Keep that off:\n%s", st.Armed(1), shown(w))
	}
	test.Tap(button(t, w, "Keep that"))
	if err := lastError(t, v, 1); !strings.Contains(err.Error(), "turned off in the settings") {
		t.Fatalf("Keep that while off: %v", err)
	}
}

// TestArmKeyWhilePlayingAndRecording: A arms the selected clip's track
// (track 1 with none selected) and disarms it again, also while playing;
// the strip's button shows it at once. While recording, A on a second
// track punches it in and out: its take covers only that part.
func TestArmKeyWhilePlayingAndRecording(t *testing.T) {
	st, v, w := setup(t)
	waitDevice(t, st, v)
	arm := armButtons(w, "Ready to record (arm) (A)")
	lit := func(i int) bool { return arm[i].Importance == widget.DangerImportance }

	v.ToggleArm()
	if !st.Armed(0) || st.Armed(1) || !lit(0) {
		t.Fatalf("A with nothing selected: armed %v %v, lit %v", st.Armed(0), st.Armed(1), lit(0))
	}
	v.ToggleArm()
	if st.Armed(0) || lit(0) {
		t.Fatal("A again did not disarm track 1")
	}
	v.Timeline().OnSelectClip(1, 0)
	v.ToggleArm()
	if st.Armed(0) || !st.Armed(1) || !lit(1) {
		t.Fatalf("A with a clip of track 2 selected: armed %v %v", st.Armed(0), st.Armed(1))
	}
	v.ToggleArm()
	v.Timeline().OnSelectClip(-1, -1)

	st.Play()
	waitFor(t, v, "playing", func() bool { return st.State() == engine.Playing })
	v.ToggleArm()
	if !st.Armed(0) || !lit(0) {
		t.Fatal("A while playing did not arm track 1")
	}
	test.Tap(arm[1])
	if !st.Armed(1) || !lit(1) {
		t.Fatal("the strip's button while playing did not arm track 2")
	}
	test.Tap(arm[1])
	if st.Armed(1) || lit(1) {
		t.Fatal("the strip's button while playing did not disarm track 2")
	}
	st.Stop()
	waitFor(t, v, "stopped", func() bool { return st.State() == engine.Stopped })

	lanes0, lanes1 := len(st.Song().Tracks[0].Lanes), len(st.Song().Tracks[1].Lanes)
	st.SetCountIn(0)
	st.Locate(0)
	v.Record()
	waitFor(t, v, "half a second of recording", func() bool { return findButton(w, "Recording") != nil && st.Position() > 24000 })
	v.Timeline().OnSelectClip(1, 0)
	// The engine punches in somewhere while ToggleArm runs (on a loaded
	// machine that can take a few hundred ms): the positions before and
	// after it bound where.
	inLo := st.Position()
	v.ToggleArm() // punch in
	inHi := st.Position()
	if !st.Armed(1) || !lit(1) {
		t.Fatal("A while recording did not arm track 2")
	}
	waitFor(t, v, "half a second more", func() bool { return st.Position() > inHi+24000 })
	outLo := st.Position()
	v.ToggleArm() // punch out
	outHi := st.Position()
	if st.Armed(1) || lit(1) {
		t.Fatal("A while recording did not disarm track 2")
	}
	waitFor(t, v, "a quarter of a second more", func() bool { return st.Position() > outHi+12000 })
	test.Tap(button(t, w, "Stop"))
	waitFor(t, v, "the takes on both tracks", func() bool {
		s := st.Song()
		return !st.Finishing() && len(s.Tracks[0].Lanes) == lanes0+1 && len(s.Tracks[1].Lanes) == lanes1+1
	})
	c := st.Song().Tracks[1].Clips[0]
	if end := c.Position + c.Length; c.Position < inLo-4800 || c.Position > inHi+4800 || end < outLo-4800 || end > outHi+4800 {
		t.Errorf("punched in at %d…%d and out at %d…%d, but the take is at %d for %d frames", inLo, inHi, outLo, outHi, c.Position, c.Length)
	}
	if len(v.errs) != 0 {
		t.Errorf("errors: %v", v.errs)
	}
}

// TestKeepThatInNorwegian: the button, the listening indicator and the
// explanation speak Norwegian.
func TestKeepThatInNorwegian(t *testing.T) {
	st, _, w := setupKeep(t, 2*time.Minute)
	i18n.Use("nb")
	defer i18n.Use("en")
	v := newView(songview.Options{Window: w, Studio: st})
	st.OnChange = v.Refresh
	w.SetContent(v.Content())
	waitDevice(t, st, v)
	test.Tap(button(t, w, "Behold det"))
	if err := lastError(t, v, 1); !strings.HasPrefix(err.Error(), "Ingen spor er klare til opptak") {
		t.Fatalf("Behold det with nothing armed: %v", err)
	}
	v.ToggleArm()
	if got := shown(w); !strings.Contains(got, "Lytter (siste 2 min beholdes)") || strings.Contains(got, "Listening") {
		t.Errorf("no Norwegian listening indicator:\n%s", got)
	}
	if len(armButtons(w, "Klar til opptak (A)")) != len(st.Song().Tracks) {
		t.Error("the strips' record buttons have no Norwegian tooltip")
	}
}
