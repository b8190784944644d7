package exchange

import (
	"encoding/json"
	"time"
)

// recordHead is a request record without its raw members.
type recordHead struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	Status   Status    `json:"status"`
	Nonce    string    `json:"nonce"`
	Created  time.Time `json:"created"`
	Expires  time.Time `json:"expires"`
	Callback *Callback `json:"callback,omitempty"`
	Keep     time.Time `json:"keep"`
}

// encodeRecord writes r as its stored JSON record, the shape json.Marshal gives a Request. Spec and
// Result are spliced in as they are: they are JSON already (checked where they enter, by Create, Move
// and Get's decode), and json.Marshal would scan and compact their kilobytes again at every state change.
func encodeRecord(r *Request) ([]byte, error) {
	head, err := json.Marshal(recordHead{ID: r.ID, Kind: r.Kind, Status: r.Status, Nonce: r.Nonce,
		Created: r.Created, Expires: r.Expires, Callback: r.Callback, Keep: r.Keep})
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(head)+len(r.Spec)+len(r.Result)+20)
	out = append(out, head[:len(head)-1]...) // without its closing brace
	if len(r.Spec) > 0 {
		out = append(append(out, `,"spec":`...), r.Spec...)
	}
	if len(r.Result) > 0 {
		out = append(append(out, `,"result":`...), r.Result...)
	}
	return append(out, '}'), nil
}
