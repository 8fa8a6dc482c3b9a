package criteria

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrEmptyImport is returned for an import file that holds nothing: the
// nightly job writes empty files (0 bytes, or "{}") for procedures it has
// no figures for.
var ErrEmptyImport = errors.New("empty file: no figures for this procedure")

// ParseJDMA reads a jdma.json file of JeDonneMonAvis statistics: the mean
// score in data.satisfaction and the number of answers in
// metadata.satisfaction_count.
func ParseJDMA(b []byte) (*JDMA, error) {
	if isEmptyJSON(b) {
		return nil, fmt.Errorf("jdma: %w", ErrEmptyImport)
	}
	var f struct {
		Data struct {
			Satisfaction *float64 `json:"satisfaction"`
		} `json:"data"`
		Metadata struct {
			SatisfactionCount *int `json:"satisfaction_count"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("jdma: %w", err)
	}
	if f.Data.Satisfaction == nil || f.Metadata.SatisfactionCount == nil {
		return nil, errors.New("jdma: no data.satisfaction or metadata.satisfaction_count")
	}
	s, n := *f.Data.Satisfaction, *f.Metadata.SatisfactionCount
	if s < 0 || s > 10 || n < 0 {
		return nil, fmt.Errorf("jdma: satisfaction %v out of 0–10 or count %d negative", s, n)
	}
	return &JDMA{Satisfaction: s, Count: n}, nil
}

// ParseUptime reads an updown.json file of uptime-monitor figures: the
// uptime percentage, timings.response (time to first byte, ms) and
// requests.samples.
func ParseUptime(b []byte) (*Uptime, error) {
	if isEmptyJSON(b) {
		return nil, fmt.Errorf("updown: %w", ErrEmptyImport)
	}
	var f struct {
		Uptime  *float64 `json:"uptime"`
		Timings struct {
			Response *float64 `json:"response"`
		} `json:"timings"`
		Requests struct {
			Samples int `json:"samples"`
		} `json:"requests"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("updown: %w", err)
	}
	if f.Uptime == nil || f.Timings.Response == nil {
		return nil, errors.New("updown: no uptime or timings.response")
	}
	if *f.Uptime < 0 || *f.Uptime > 100 || *f.Timings.Response < 0 {
		return nil, fmt.Errorf("updown: uptime %v out of 0–100 or response %v negative", *f.Uptime, *f.Timings.Response)
	}
	if f.Requests.Samples < 0 {
		return nil, fmt.Errorf("updown: requests.samples %d negative", f.Requests.Samples)
	}
	return &Uptime{Percent: *f.Uptime, ResponseMS: *f.Timings.Response, Samples: f.Requests.Samples}, nil
}

// isEmptyJSON reports a file with nothing in it: no bytes, white space,
// "{}" or "null".
func isEmptyJSON(b []byte) bool {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return true
	}
	var m map[string]json.RawMessage
	return json.Unmarshal(b, &m) == nil && len(m) == 0
}
