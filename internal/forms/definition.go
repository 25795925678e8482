package forms

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Question returns the question with the given id, or nil.
func (f *Form) Question(id string) *Question {
	for _, q := range f.Questions {
		if q.ID == id {
			return q
		}
	}
	return nil
}

// Hash is a stable fingerprint of the definition: the sha256 (hex) of its
// canonical JSON, which holds every field but the file name and lines. Any
// change to the form, texts included, changes it, so the app can refuse a
// changed form whose version was not bumped.
func (f *Form) Hash() string {
	// The JSON of a Form has no maps, so encoding/json writes it the same way
	// every time; Equals holds only strings, bools and float64 after Parse.
	data, err := json.Marshal(f)
	if err != nil {
		// Only a hand-built Form with an unencodable Equals gets here.
		panic("forms: hashing form " + f.ID + ": " + err.Error())
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Messages returns every translatable Spanish text of the form, keyed by
// message id:
//
//	form.<form>.title, form.<form>.description, form.<form>.thank_you,
//	form.<form>.q.<question>.label, form.<form>.q.<question>.help,
//	form.<form>.q.<question>.opt.<value>
//
// Empty texts have no entry.
func (f *Form) Messages() map[string]string {
	m := make(map[string]string)
	put := func(id, text string) {
		if text != "" {
			m[id] = text
		}
	}
	put(f.TitleID(), f.Title)
	put(f.DescriptionID(), f.Description)
	put(f.ThankYouID(), f.ThankYou)
	for _, q := range f.Questions {
		put(f.LabelID(q), q.Label)
		put(f.HelpID(q), q.Help)
		for _, o := range q.Options {
			put(f.OptionID(q, o.Value), o.Label)
		}
	}
	return m
}

// TitleID is the message id of the form title.
func (f *Form) TitleID() string { return "form." + f.ID + ".title" }

// DescriptionID is the message id of the form description.
func (f *Form) DescriptionID() string { return "form." + f.ID + ".description" }

// ThankYouID is the message id of the form's thank-you text.
func (f *Form) ThankYouID() string { return "form." + f.ID + ".thank_you" }

// LabelID is the message id of the label of question q of form f.
func (f *Form) LabelID(q *Question) string { return "form." + f.ID + ".q." + q.ID + ".label" }

// HelpID is the message id of the help text of question q of form f.
func (f *Form) HelpID(q *Question) string { return "form." + f.ID + ".q." + q.ID + ".help" }

// OptionID is the message id of the label of option value of question q of form f.
func (f *Form) OptionID(q *Question, value string) string {
	return "form." + f.ID + ".q." + q.ID + ".opt." + value
}
