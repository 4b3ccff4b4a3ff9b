package localstore

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/customer"
)

// PlateAttribute is the event attribute that carries a licence plate.
const PlateAttribute = "plate"

// Vehicle search kinds, the first part of a vehicle index key.
const (
	vehicleVIN   = "vin:"
	vehiclePlate = "plate:"
)

// NormalizePlate folds a licence plate or VIN for search: upper case,
// letters and digits only ("il ab-1234" = "ILAB1234").
func NormalizePlate(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToUpper(r)
		}
		return -1
	}, s)
}

// vehicleKeys indexes the VINs of a profile's vehicles and its household's
// cars, and the plates its events name.
func vehicleKeys(p *customer.Profile) [][]byte {
	var keys [][]byte
	add := func(kind, value string) {
		if v := NormalizePlate(value); v != "" {
			keys = append(keys, key(prefixVehicle, kind+v, p.CustomerID))
		}
	}
	for _, list := range [][]customer.Vehicle{p.Vehicles, p.Household.Vehicles} {
		for _, v := range list {
			add(vehicleVIN, v.VIN)
		}
	}
	for i := range p.Events {
		add(vehiclePlate, p.Events[i].Attributes[PlateAttribute])
	}
	return keys
}

// SearchVehicle returns the cached profiles whose vehicles or household
// cars have the VIN, or whose events name the licence plate, value.
func (s *Store) SearchVehicle(value string) ([]customer.Profile, error) {
	v := NormalizePlate(value)
	if v == "" {
		return nil, nil
	}
	var out []customer.Profile
	err := s.db.View(func(bt *badger.Txn) error {
		t := txn{bt}
		var custs []string
		for _, kind := range []string{vehicleVIN, vehiclePlate} {
			err := t.each(keyPrefix(prefixVehicle, kind+v), false, func(k, _ []byte) error {
				custs = appendNew(custs, lastPart(k))
				return nil
			})
			if err != nil {
				return err
			}
		}
		var err error
		out, err = s.profilesOf(t, custs)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("search vehicle: %w", err)
	}
	return out, nil
}

// profilesOf returns the cached profiles of custs, each with its local
// events, skipping any that are gone, at most MaxResults.
func (s *Store) profilesOf(t txn, custs []string) ([]customer.Profile, error) {
	var out []customer.Profile
	// While online the hub soon includes what is recorded here, so there
	// are usually no local events at all: then skip looking for them.
	locals, err := hasKeys(t, prefixLocalIdent)
	if err != nil {
		return nil, err
	}
	for _, c := range custs {
		if len(out) == MaxResults {
			break
		}
		var p customer.Profile
		ok, err := t.decode(key(prefixProfile, c), &p)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if locals {
			if p, err = s.withLocalEvents(t, p); err != nil {
				return nil, err
			}
		}
		out = append(out, p)
	}
	return out, nil
}

// hasKeys reports whether any key starts with prefix.
func hasKeys(t txn, prefix string) (bool, error) {
	found := false
	err := t.each([]byte(prefix), false, func(_, _ []byte) error {
		found = true
		return errStop
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return found, err
}
