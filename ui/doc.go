// Package ui holds no code: its sub-packages are the Fyne window. ui/app
// starts Fyne and shows one screen at a time (ui/libraryview,
// ui/songview, ui/settingsview, ui/takehomeview, ui/cdview); ui/studio is
// the model of an open song behind them (no Fyne), and ui/timeline,
// ui/widgets, ui/look, ui/shown and ui/i18n are the pieces they share.
// README.md's Architecture section shows the threads and how a recording
// reaches the song.
package ui
