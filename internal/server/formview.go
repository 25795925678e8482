package server

import (
	"encoding/json"
	"strconv"

	"github.com/consulta/consulta/internal/forms"
	"github.com/consulta/consulta/internal/geo"
	"github.com/consulta/consulta/internal/locale"
)

// formView is one form localized into one language, computed once at start-up
// (the translation bundle never changes) and shared, read-only, by every request.
type formView struct {
	ID, Kind, Lang               string
	Version                      int
	Title, Description, ThankYou string
	// TitleLang... are "es" when the text is the Spanish fallback on a page in
	// another language (the page marks it with lang="es"), "" otherwise.
	TitleLang, DescriptionLang, ThankYouLang string
	Questions                                []*questionView
	HasRequired, HasGeo, HasPersonal         bool
}

// questionView is a question with its texts in the view's language and the
// attributes its HTML control needs.
type questionView struct {
	ID, Type, Label, Help string
	LabelLang, HelpLang   string // "es" for Spanish fallback text, see formView
	Required, Personal    bool
	Display               string // radio or select (single)
	Options               []optionView
	Other                 bool
	Min, Max              float64
	HasMin, HasMax        bool
	MaxLength             int
	InputType, InputMode  string
	Autocomplete          string
	Condition             string // show_if as JSON, evaluated by form.js
	RequiredIf            string // required_if as JSON, evaluated by form.js
	Hint                  string // the condition in words, for people without JavaScript
	HintLang              string // "es" for a Spanish fallback hint, see formView
	ShowIf                *forms.Condition
	RequiredCondition     *forms.Condition // required_if, for the API
}

// optionView is one choice with its label in the view's language.
type optionView struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Lang  string `json:"-"` // "es" for Spanish fallback text, see formView
}

// formViews holds every form in every language.
type formViews struct {
	byForm      map[string]map[string]*formView
	departments []geo.Department
}

func newFormViews(reg *forms.Registry, tr *locale.Translator, cat *geo.Catalog) *formViews {
	fv := &formViews{byForm: map[string]map[string]*formView{}, departments: cat.Departments()}
	for _, f := range reg.All() {
		fv.byForm[f.ID] = map[string]*formView{}
		for _, lang := range tr.Languages() {
			fv.byForm[f.ID][lang.Tag] = localizeForm(f, tr.Localizer(lang.Tag))
		}
	}
	return fv
}

// get returns the view of a form in a language (falling back to Spanish).
func (fv *formViews) get(formID, lang string) (*formView, bool) {
	byLang, ok := fv.byForm[formID]
	if !ok {
		return nil, false
	}
	if v, ok := byLang[lang]; ok {
		return v, true
	}
	v, ok := byLang["es"]
	return v, ok
}

// localizeForm resolves every text of f through the localizer: a translation
// when there is a current one, the Spanish source otherwise.
func localizeForm(f *forms.Form, l *locale.Localizer) *formView {
	p := "form." + f.ID + "."
	v := &formView{ID: f.ID, Kind: string(f.Kind), Lang: l.Lang(), Version: f.Version}
	v.Title, v.TitleLang = tr(l, p+"title", f.Title)
	v.Description, v.DescriptionLang = tr(l, p+"description", f.Description)
	v.ThankYou, v.ThankYouLang = tr(l, p+"thank_you", f.ThankYou)
	for _, q := range f.Questions {
		qv := localizeQuestion(p+"q."+q.ID+".", q, l)
		v.HasRequired = v.HasRequired || q.Required
		v.HasGeo = v.HasGeo || q.Type == forms.TypeGeo
		v.HasPersonal = v.HasPersonal || q.Personal
		v.Questions = append(v.Questions, qv)
	}
	for _, qv := range v.Questions {
		if qv.ShowIf != nil {
			qv.Hint, qv.HintLang = describeCondition(qv.ShowIf, v, l)
		}
	}
	return v
}

func localizeQuestion(p string, q *forms.Question, l *locale.Localizer) *questionView {
	qv := &questionView{
		ID: q.ID, Type: string(q.Type), Required: q.Required, Personal: q.Personal,
		Display: q.Display, Other: q.Other, MaxLength: q.TextLimit(), ShowIf: q.ShowIf,
		RequiredCondition: q.RequiredIf,
	}
	qv.Label, qv.LabelLang = tr(l, p+"label", q.Label)
	qv.Help, qv.HelpLang = tr(l, p+"help", q.Help)
	if qv.Display == "" {
		qv.Display = "radio"
	}
	if q.Type == forms.TypeScale || q.Type == forms.TypeRating {
		// The page states the range, so that form.js need not know the defaults.
		lo, hi := q.ScaleRange()
		qv.Min, qv.HasMin, qv.Max, qv.HasMax = float64(lo), true, float64(hi), true
	} else {
		if q.Min != nil {
			qv.Min, qv.HasMin = *q.Min, true
		}
		if q.Max != nil {
			qv.Max, qv.HasMax = *q.Max, true
		}
	}
	for _, o := range q.Options {
		label, lang := tr(l, p+"opt."+o.Value, o.Label)
		qv.Options = append(qv.Options, optionView{Value: o.Value, Label: label, Lang: lang})
	}
	if q.ShowIf != nil {
		b, _ := json.Marshal(q.ShowIf)
		qv.Condition = string(b)
	}
	if q.RequiredIf != nil {
		b, _ := json.Marshal(q.RequiredIf)
		qv.RequiredIf = string(b)
	}
	setControl(qv, q)
	return qv
}

// setControl picks the input type, keyboard and autofill hint of a question, and
// the points of scales and ratings.
func setControl(qv *questionView, q *forms.Question) {
	switch q.Type {
	case forms.TypeEmail:
		qv.InputType, qv.InputMode, qv.Autocomplete = "email", "email", "email"
	case forms.TypePhone:
		qv.InputType, qv.InputMode, qv.Autocomplete = "tel", "tel", "tel"
	case forms.TypeNumber:
		qv.InputType, qv.InputMode = "text", "decimal"
	case forms.TypeText:
		qv.InputType = "text"
		if q.Personal && (q.ID == "name" || q.ID == "nombre") {
			qv.Autocomplete = "name"
		}
	case forms.TypeScale, forms.TypeRating:
		lo, hi := q.ScaleRange()
		qv.Options = scalePoints(lo, hi, qv.Options)
	}
}

// scalePoints lists the points lo..hi, keeping any labels the form gives.
func scalePoints(lo, hi int, labelled []optionView) []optionView {
	labels := map[string]optionView{}
	for _, o := range labelled {
		labels[o.Value] = o
	}
	var pts []optionView
	for i := lo; i <= hi; i++ {
		v := strconv.Itoa(i)
		pts = append(pts, optionView{Value: v, Label: labels[v].Label, Lang: labels[v].Lang})
	}
	return pts
}

// tr translates id, or returns "" when the form has no such text. lang is
// "es" when the text is the Spanish fallback on a page in another language.
func tr(l *locale.Localizer, id, source string) (text, lang string) {
	if source == "" {
		return "", ""
	}
	text, lang = l.TL(id)
	if lang == l.Lang() {
		lang = ""
	}
	return text, lang
}
