package songview

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects/songlog"
	"sangstudio/ui/shown"
)

// ShowLog shows the song's log in full: each session (a day the song was
// worked on), newest first, with how long the song was open, the takes
// recorded and every copy that left the song (what, format, where to).
func (v *View) ShowLog() {
	if v.opt.Window == nil {
		return
	}
	text := widget.NewLabel(logText(songlog.Sessions(v.st.SongLog(), time.Now(), true)))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(lang.L("The song's log"), lang.L("Close"), container.NewVScroll(text), v.opt.Window)
	d.Resize(fyne.NewSize(min(720, v.opt.Window.Canvas().Size().Width-40), min(560, v.opt.Window.Canvas().Size().Height-40)))
	d.Show()
}

// logText is the song's log as text, newest session first.
func logText(sessions []songlog.Session) string {
	if len(sessions) == 0 {
		return lang.L("Nothing is in the log yet: it notes when the song is open, the takes recorded and the copies made.")
	}
	var b strings.Builder
	for _, s := range slices.Backward(sessions) {
		b.WriteString(sessionText(s))
		b.WriteString("\n\n")
	}
	return strings.TrimSpace(b.String())
}

// sessionText is one session: its day and time open, its takes, its copies.
func sessionText(s songlog.Session) string {
	lines := []string{lang.L("{{.Day}}: open {{.Time}}", map[string]any{"Day": s.Day.Format("2006-01-02"), "Time": hoursMinutes(s.Open)})}
	if n := len(s.Takes); n > 0 {
		var names []string
		for _, tk := range s.Takes {
			names = append(names, fmt.Sprintf("%s (%s)", shown.Text(tk.Track), minutesSeconds(tk.Seconds)))
		}
		lines = append(lines, lang.L("Takes recorded ({{.Count}}): {{.Names}}", map[string]any{"Count": n, "Names": strings.Join(names, ", ")}))
	}
	for _, c := range s.Copies {
		lines = append(lines, lang.L("{{.Time}} copy: {{.What}}, {{.Format}}, to {{.To}}", map[string]any{
			"Time": c.Time.Local().Format("15:04"), "What": copyWhat(c.What), "Format": strings.ToUpper(shown.Text(c.Format)),
			"To": shown.Text(destination(c.To))}))
	}
	return strings.Join(lines, "\n")
}

// copyWhat says what a copy was, in the chosen language.
func copyWhat(what string) string {
	switch what {
	case songlog.CopyMix:
		return lang.L("the mix")
	case songlog.CopyStems:
		return lang.L("the tracks (stems)")
	case songlog.CopyTakeHome:
		return lang.L("taken home")
	case songlog.CopyCD:
		return lang.L("a CD")
	case songlog.CopyArchive:
		return lang.L("the whole song (archive)")
	}
	return shown.Text(what)
}

// destination is where a copy went, shortened to its last two parts
// (…/USB-PINNE/Sang.mp3): enough to recognize, without the whole path.
func destination(p string) string {
	dir, file := filepath.Split(filepath.Clean(p))
	if parent := filepath.Base(dir); parent != "." && parent != string(filepath.Separator) {
		return "…" + string(filepath.Separator) + parent + string(filepath.Separator) + file
	}
	return file
}

// minutesSeconds writes seconds as m:ss.
func minutesSeconds(s float64) string {
	n := int(s + 0.5)
	return fmt.Sprintf("%d:%02d", n/60, n%60)
}
