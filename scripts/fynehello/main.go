// Command fynehello is the peer scripts/bench-window.sh measures Sangstudio's
// window against: the smallest Fyne app (a window with a label and a
// button), written the same way (ready file when the first frame is shown).
package main

import (
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("no.sangstudio.fynehello")
	w := a.NewWindow("fynehello")
	w.SetContent(container.NewVBox(widget.NewLabel("Hello"), widget.NewButton("OK", func() {})))
	w.Resize(fyne.NewSize(1280, 820))
	w.Show()
	fyne.Do(func() {
		if p := os.Getenv("SANGSTUDIO_READY_FILE"); p != "" {
			os.WriteFile(p, []byte(fmt.Sprintf("%d\n", time.Now().UnixNano())), 0o600)
			if os.Getenv("SANGSTUDIO_QUIT_AFTER_READY") == "1" {
				os.Exit(0)
			}
		}
	})
	a.Run()
}
