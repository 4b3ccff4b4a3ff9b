package main

import (
	"strings"
	"testing"
)

// The intake flags are checked at start-up, naming the flag that is wrong.
func TestServeConfig_IntakeFlags(t *testing.T) {
	tests := []struct {
		name     string
		cfg      serveConfig
		wantFlag string // "" when valid
	}{
		{"defaults", serveConfig{RatePerSecond: 1000, RateBurst: 2000}, ""},
		{"no limit", serveConfig{RatePerSecond: 0, RateBurst: 0}, ""},
		{"negative rate", serveConfig{RatePerSecond: -1, RateBurst: 10}, "--rate-limit"},
		{"zero burst", serveConfig{RatePerSecond: 5, RateBurst: 0}, "--rate-burst"},
		{"origins", serveConfig{WebOrigins: []string{"web:zot.example=https://www.zot.example", "web:zot.example=http://127.0.0.1:8080"}}, ""},
		{"origin without source", serveConfig{WebOrigins: []string{"https://www.zot.example"}}, "--web-origins"},
		{"origin of a phone source", serveConfig{WebOrigins: []string{"phone:x=https://www.zot.example"}}, "--web-origins"},
		{"origin with a path", serveConfig{WebOrigins: []string{"web:zot.example=https://www.zot.example/"}}, "--web-origins"},
		{"origin in upper case", serveConfig{WebOrigins: []string{"web:zot.example=https://WWW.zot.example"}}, "--web-origins"},
		{"origin without scheme", serveConfig{WebOrigins: []string{"web:zot.example=www.zot.example"}}, "--web-origins"},
		{"line countries", serveConfig{PhoneLineCountries: []string{"tollfree=US", "berlin=DE"}}, ""},
		{"line country lower case", serveConfig{PhoneLineCountries: []string{"berlin=de"}}, "--phone-line-country"},
		{"line without country", serveConfig{PhoneLineCountries: []string{"berlin"}}, "--phone-line-country"},
		{"country without line", serveConfig{PhoneLineCountries: []string{"=DE"}}, "--phone-line-country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := tt.cfg.intake()
			switch {
			case tt.wantFlag == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantFlag != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantFlag+":")):
				t.Fatalf("error %v, want one naming %s", err, tt.wantFlag)
			}
			if tt.name == "line countries" && in.PhoneLineCountry["berlin"] != "DE" {
				t.Errorf("berlin's country %q", in.PhoneLineCountry["berlin"])
			}
			if tt.name == "origins" && len(in.WebOrigins["web:zot.example"]) != 2 {
				t.Errorf("origins %v", in.WebOrigins)
			}
		})
	}
}
