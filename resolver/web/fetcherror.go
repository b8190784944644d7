package web

import "log/slog"

// FetchError is a request that got no answer. Its text is all a remote asker may learn, because callers
// put it in answers (a credential's status list or a DID configuration is fetched from a URL that
// whoever presents the credential chose): dial and DNS errors name internal addresses and resolvers, and
// "refused" against "timed out" tells which internal hosts exist. The cause stays in Unwrap (errors.Is
// and errors.As still see ErrForbiddenAddress, *net.DNSError, …) and in logs through LogValue.
type FetchError struct {
	Method string
	URL    string // redacted
	Err    error
}

func (e *FetchError) Error() string {
	reason := "could not connect" // a refused address, a failed lookup and a failed dial look alike
	switch Classify(e.Err) {
	case FailureRedirects:
		reason = ErrTooManyRedirects.Error()
	case FailureScheme:
		reason = "redirected to a URL that is not allowed"
	case FailureCanceled:
		reason = "canceled"
	}
	return e.Method + " " + e.URL + ": " + reason
}

func (e *FetchError) Unwrap() error { return e.Err }

// LogValue gives the log the whole cause, which the operator may see.
func (e *FetchError) LogValue() slog.Value {
	return slog.StringValue(e.Method + " " + e.URL + ": " + e.Err.Error())
}
