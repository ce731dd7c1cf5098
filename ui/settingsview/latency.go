package settingsview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/ui/explain"
	"sangstudio/ui/studio"
)

// latencySection shows the delay of the running device (Options.Status);
// without a status it is not shown.
type latencySection struct {
	v     *View
	label *widget.Label
}

func newLatencySection(v *View) *latencySection {
	l := &latencySection{v: v, label: help("")}
	if v.opt.Status != nil {
		l.show(v.opt.Status())
	}
	return l
}

func (l *latencySection) content() fyne.CanvasObject {
	box := section(lang.X("settings.latency", "Delay (latency)"),
		l.label,
		help(lang.L("Sangstudio moves new recordings earlier by this much, so that they line up with what was playing.")))
	if l.v.opt.Status == nil {
		box.Hide()
	}
	return box
}

// show shows the latency of st.
func (l *latencySection) show(st studio.AudioStatus) { l.label.SetText(l.text(st)) }

func (l *latencySection) text(st studio.AudioStatus) string {
	v := l.v
	switch {
	case st.Starting:
		return lang.L("Opening the audio device…")
	case st.Err != nil:
		return explain.With(lang.L("The audio device is not working:"), st.Err)
	case st.Device == "":
		return lang.L("The audio device is not open.")
	}
	var cal int64
	if st.Fallback == "" {
		cal = v.s.Calibration[v.device.id()]
	}
	if cal < 0 || cal > st.Latency {
		cal = 0
	}
	text := lang.L("Latency: {{.Ms}} ms ({{.Frames}} frames)", map[string]any{"Ms": v.ms(st.Latency-cal, st.Rate), "Frames": st.Latency - cal})
	if cal != 0 {
		text += " " + lang.L("+ calibration {{.Ms}} ms", map[string]any{"Ms": v.ms(cal, st.Rate)})
	}
	if st.Fallback != "" {
		text += "\n" + st.Fallback
	}
	return text
}
