package libraryview

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2/lang"

	"sangstudio/ui/i18n"
)

// Month names for dates: English and Norwegian (bokmål) short forms.
var (
	monthsEN = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	monthsNB = [12]string{"jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.", "nov.", "des."}
)

// formatWhen says when t was, plainly: "today at 14:32", "yesterday at
// 09:05", "25 Nov 14:32", "3 Mar 2023 10:00" (in Norwegian "i dag kl.
// 14:32", "25. nov. kl. 14:32", …), with now as the present.
func formatWhen(t, now time.Time, l i18n.Lang) string {
	t, now = t.Local(), now.Local()
	clock := t.Format("15:04")
	day := func(x time.Time) time.Time { y, m, d := x.Date(); return time.Date(y, m, d, 0, 0, 0, 0, time.Local) }
	switch days := day(now).Sub(day(t)).Hours() / 24; {
	case days > -0.5 && days < 0.5:
		return lang.X("library.today", "today at {{.Time}}", map[string]any{"Time": clock})
	case days > 0.5 && days < 1.5:
		return lang.X("library.yesterday", "yesterday at {{.Time}}", map[string]any{"Time": clock})
	}
	nb := l.Norwegian()
	m := int(t.Month()) - 1
	var date string
	switch {
	case nb && t.Year() == now.Year():
		date = fmt.Sprintf("%d. %s kl. %s", t.Day(), monthsNB[m], clock)
	case nb:
		date = fmt.Sprintf("%d. %s %d kl. %s", t.Day(), monthsNB[m], t.Year(), clock)
	case t.Year() == now.Year():
		date = fmt.Sprintf("%d %s %s", t.Day(), monthsEN[m], clock)
	default:
		date = fmt.Sprintf("%d %s %d %s", t.Day(), monthsEN[m], t.Year(), clock)
	}
	return date
}

// formatLength writes a length as m:ss (h:mm:ss from an hour).
func formatLength(d time.Duration) string {
	s := int64((d + time.Second/2) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
