package scanner

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// refuseURL returns why the scanner will not load raw, or "" when it may.
// Only absolute http(s) URLs with a host are loaded: never file:,
// javascript:, chrome:, data: or anything else.
func refuseURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "adresse mal formée : " + err.Error()
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		if u.Scheme == "" {
			return "adresse non absolue (ni http:// ni https://)"
		}
		return "le schéma " + u.Scheme + ": n'est ni http ni https"
	}
	if u.Host == "" {
		return "adresse sans nom d'hôte"
	}
	return ""
}

// classifyNetError maps Chromium's net error text
// (net/base/net_error_list.h) to a status.
func classifyNetError(text string) Status {
	t := strings.TrimPrefix(text, "net::")
	switch {
	case strings.HasPrefix(t, "ERR_NAME_NOT_RESOLVED"), strings.HasPrefix(t, "ERR_NAME_RESOLUTION_FAILED"),
		strings.HasPrefix(t, "ERR_DNS_"):
		return StatusDNS
	case strings.HasPrefix(t, "ERR_CERT_"), strings.HasPrefix(t, "ERR_SSL_"),
		strings.Contains(t, "_SSL_"), strings.HasPrefix(t, "ERR_BAD_SSL_"):
		return StatusTLS
	case strings.HasPrefix(t, "ERR_TIMED_OUT"), strings.HasPrefix(t, "ERR_CONNECTION_TIMED_OUT"):
		return StatusTimeout
	case strings.HasPrefix(t, "ERR_UNSAFE_PORT"), strings.HasPrefix(t, "ERR_DISALLOWED_URL_SCHEME"),
		strings.HasPrefix(t, "ERR_UNKNOWN_URL_SCHEME"):
		return StatusRefused
	}
	return StatusNetwork
}

// isHTML reports whether a main document's MIME type is a web page.
func isHTML(mime string) bool {
	m := strings.ToLower(strings.TrimSpace(strings.SplitN(mime, ";", 2)[0]))
	return m == "" || m == "text/html" || m == "application/xhtml+xml"
}

// challengeMarkers are texts of the bot-challenge pages that CDNs and
// anti-bot services show to headless browsers. Some services send their
// challenge with a 200 status: in the title of any page, one of these says
// the scanner was refused.
var challengeMarkers = []string{
	"just a moment", "attention required", "checking your browser", "verify you are human",
	"vérifiez que vous êtes humain", "captcha", "cf-chl", "ddos protection", "incapsula",
	"datadome", "are you a robot", "êtes-vous un robot", "bot detection",
}

// refusalMarkers are texts of the refusal pages of those services. A
// procedure may well title a page of its own "Accès refusé": they say the
// scanner was refused only on an error status.
var refusalMarkers = []string{"access denied", "accès refusé", "request unsuccessful"}

// blockedReason returns why an answer looks like the scanner being refused
// (an anti-bot challenge, a rate limit), or "". A blocked page is not the
// procedure's fault as users see it, and must not be scored as bad. On an
// error status the title and the text are searched; on any other, the
// title alone, for a challenge: a page that mentions a captcha in its text
// is not one.
func blockedReason(status int, title, text string) string {
	markers, low := challengeMarkers, strings.ToLower(title)
	if status >= 400 {
		markers, low = slices.Concat(challengeMarkers, refusalMarkers), low+" "+strings.ToLower(text)
	}
	for _, m := range markers {
		if strings.Contains(low, m) {
			return "le site a répondu par une page de vérification anti-robot (« " + m + " »)"
		}
	}
	switch status {
	case 403:
		return "le site a refusé le scanner (HTTP 403)"
	case 429:
		return "le site a limité le débit du scanner (HTTP 429)"
	}
	return ""
}

// notHTMLReason explains a URL that serves a file of the MIME type ct.
func notHTMLReason(ct string) string {
	return "l'adresse renvoie " + ct + ", pas une page web"
}

// frDuration writes a bound as a French reason gives it: "30 s", "1,5 s",
// "500 ms".
func frDuration(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	return strings.Replace(strconv.FormatFloat(d.Seconds(), 'f', -1, 64), ".", ",", 1) + " s"
}
