package site

import "strings"

// aboutPage explains how procedures enter the observatory; it exists only
// when the site is configured with a text or a link.
const aboutPage = "selection.html"

// aboutView is the page about the selection.
type aboutView struct {
	Paragraphs []string
	ProposeURL string
}

// writeAbout writes the page about the selection, when configured.
func (s *site) writeAbout(w *writer) error {
	if !w.about {
		return nil
	}
	v := &aboutView{}
	for _, p := range strings.Split(strings.ReplaceAll(s.opts.About, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			v.Paragraphs = append(v.Paragraphs, p)
		}
	}
	if webURL(s.opts.ProposeURL) {
		v.ProposeURL = strings.TrimSpace(s.opts.ProposeURL)
	}
	return w.page(aboutPage, "about", &page{Title: "À propos de la sélection", Nav: "selection", Data: v})
}
