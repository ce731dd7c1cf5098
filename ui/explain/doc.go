// Package explain says the errors the window can show in plain words, in
// the chosen language (Norwegian bokmål or English, through Fyne's lang
// package and ui/i18n's translations): what happened and what to do.
//
// The rule for every view: an error is shown through Message, never
// through err.Error(). The errors of audio/…, projects/…, midi/…,
// internal/… and ui/studio are written in English for the command line
// and the logs, and often name full paths or carry Go's chains of
// wrapped errors ("song: /tmp/…: open …: permission denied"); Message
// finds the error it knows in the chain (errors.Is, errors.As, most
// specific first) and says it for a person, naming a file by its base
// name or a song by its folder's name. An error Message does not know
// becomes a plain sentence that something went wrong, never the English
// text: Details gives that text, for a "details" line the window may
// show collapsed, for whoever helps.
//
// A view that has already said an error in the chosen language wraps it
// with Plain (a *Said): Message returns that text as it is. Text refused
// on input (a *projects.TextError) is said by ui/shown.Refusal, which
// Message calls.
//
// This package may import audio/…, projects/…, midi/…, internal/…,
// ui/studio and ui/shown, but no view (ui/songview, ui/app, ui/libraryview,
// …): the views import it.
package explain
