package customer

import "testing"

func person(given, family, line1, pc, dob string) Person {
	p := Profile{GivenName: given, FamilyName: family, BirthDate: dob}
	p.Addresses = []Address{{Line1: line1, City: "Chicago", PostalCode: pc}}
	return PersonOf(&p)
}

// Scoring separates the same person written differently from relatives
// and strangers.
func TestScore_SeparatesPeopleFromRelatives(t *testing.T) {
	tests := []struct {
		name      string
		a, b      Person
		candidate bool
	}{
		{"same person, typo and abbreviation", person("Anna", "Petrova", "1420 W Elm Street", "60622", "1990-03-04"), person("Ana", "Petrova", "1420 W. Elm St", "60622", "1990-03-04"), true},
		{"same person, swapped name fields", person("Anna", "Petrova", "1420 W Elm St", "60622", "1990-03-04"), person("Petrova", "Anna", "1420 W Elm St", "60622", "1990-03-04"), true},
		{"relatives at one address", person("Anna", "Petrova", "1420 W Elm St", "60622", ""), person("Ivan", "Petrov", "1420 W Elm St", "60622", ""), false},
		{"namesakes in other towns", person("Anna", "Petrova", "1420 W Elm St", "60622", ""), person("Anna", "Petrova", "77 Lake Shore Dr", "60201", ""), false},
		{"name only is too little", Person{Given: "anna", Family: "petrova"}, Person{Given: "anna", Family: "petrova"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			score, ev := Score(tt.a, tt.b)
			if got := score >= CandidateThreshold; got != tt.candidate {
				t.Errorf("score %.2f (evidence %+v): candidate %v, want %v", score, ev, got, tt.candidate)
			}
		})
	}
}

// Blocking keys survive a typo in any one field.
func TestBlockingKeys_ShareAKeyDespiteOneTypo(t *testing.T) {
	base := person("Anna", "Petrova", "1420 W Elm St", "60622", "1990-03-04")
	typos := []Person{
		person("Anna", "Petrvoa", "1420 W Elm St", "60622", "1990-03-04"),
		person("Anna", "Petrova", "1420 W Elm St", "60623", "1990-03-04"),
		person("Anna", "Petrova", "1420 W Elm St", "60622", "1990-04-03"),
	}
	for _, p := range typos {
		shared := false
		for _, k := range BlockingKeys(p) {
			for _, bk := range BlockingKeys(base) {
				shared = shared || k == bk
			}
		}
		if !shared {
			t.Errorf("%+v shares no blocking key with %+v", p, base)
		}
	}
}
