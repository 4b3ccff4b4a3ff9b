package staffapi

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
)

// The staff page's templates and assets are embedded in the binary: no
// build step, nothing to install beside it.
var (
	//go:embed templates/*.html
	templateFS embed.FS
	//go:embed static
	staticFS embed.FS
)

// pageSet holds one parsed template per page, each with the layout.
type pageSet map[string]*template.Template

// pageNames are the pages.
var pageNames = []string{"login", "home", "search", "profile", "candidates", "error"}

func mustParsePages() pageSet {
	set := pageSet{}
	for _, name := range pageNames {
		set[name] = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/parts.html", "templates/"+name+".html"))
	}
	return set
}

// render writes page name with d ("banner" is the sync banner alone).
// The page is rendered in full before anything is sent, so a template
// failure is a clean 500.
func (s *Server) render(w http.ResponseWriter, status int, name string, d *pageData) {
	var buf bytes.Buffer
	page, root := s.pages[name], "layout"
	if name == "banner" {
		page, root = s.pages["home"], "banner"
	}
	if err := page.ExecuteTemplate(&buf, root, d); err != nil {
		s.log.Error("render page failed", "page", name, "err", err)
		http.Error(w, "the staff page failed to render", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderError shows msg on an error page, with the signed-in frame when
// there is a session.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	d := &pageData{Title: "Problem", Dealer: s.dealer, Error: msg}
	if p := who(r); p != nil && p.session != nil {
		d = s.base(r, "Problem")
		d.Error = msg
	}
	s.render(w, status, "error", d)
}

func staticHandler() http.Handler {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}
