package criteria_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// aAssess runs the whole assessment of a fixture page, as `check` does.
func aAssess(t *testing.T, page string, tg observatory.Target) *observatory.Assessment {
	t.Helper()
	web, sc := fixturetest.Env(t)
	tg.URL = web.Page(page)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	a, err := observatory.Assess(ctx, sc, tg, observatory.AssessOptions{Probes: scanner.ProbeOptions{Count: -1}})
	if err != nil {
		t.Fatalf("Assess(%s): %v", page, err)
	}
	if s := a.Pages[observatory.PageStart]; !s.Status.Loaded() {
		t.Fatalf("%s did not load: %s %s", page, s.Status, s.Reason)
	}
	return a
}

func aWant(t *testing.T, a *observatory.Assessment, id criteria.ID, level criteria.Level, label string) criteria.Verdict {
	t.Helper()
	v := a.Criteria[id]
	if v.Level != level || v.Label != label {
		t.Errorf("%s on %s: got %s %q, want %s %q; evidence %+v", id, a.URL, v.Level, v.Label, level, label, v.Evidence)
	}
	return v
}

func aEvidence(v criteria.Verdict, fact, selector string) bool {
	for _, e := range v.Evidence {
		if strings.Contains(e.Fact, fact) && strings.Contains(e.Selector, selector) {
			return true
		}
	}
	return false
}

func TestAssessOnline(t *testing.T) {
	t.Parallel()
	v := aWant(t, aAssess(t, "online-form.html", observatory.Target{}), criteria.IDOnline, criteria.Good, "Oui, détecté")
	if !aEvidence(v, "formulaire de 2 champ(s)", "form") {
		t.Errorf("evidence %+v", v.Evidence)
	}
	aWant(t, aAssess(t, "online-search.html", observatory.Target{}), criteria.IDOnline, criteria.NotMeasured, "À vérifier")
}

func TestAssessSatisfaction(t *testing.T) {
	t.Parallel()
	a := aAssess(t, "jdma-button.html", observatory.Target{})
	v := aWant(t, a, criteria.IDSatisfaction, criteria.NotMeasured, "À venir")
	if !aEvidence(v, "Je donne mon avis", "#jdma") {
		t.Errorf("button evidence %+v", v.Evidence)
	}
	a = aAssess(t, "jdma-button.html", observatory.Target{JDMA: &criteria.JDMA{Satisfaction: 7.14, Count: 1642}})
	aWant(t, a, criteria.IDSatisfaction, criteria.Partial, "7,1/10")
	aWant(t, aAssess(t, "online-form.html", observatory.Target{}), criteria.IDSatisfaction, criteria.Bad, "Bouton Je donne mon avis absent")
}

func TestAssessFranceConnect(t *testing.T) {
	t.Parallel()
	aWant(t, aAssess(t, "fc-button.html", observatory.Target{}), criteria.IDFranceConnect, criteria.Good, "FranceConnect")
	aWant(t, aAssess(t, "fc-plus.html", observatory.Target{}), criteria.IDFranceConnect, criteria.Good, "FranceConnect+")
	v := aWant(t, aAssess(t, "fc-proconnect.html", observatory.Target{}), criteria.IDFranceConnect, criteria.Bad, "Non")
	if !aEvidence(v, "ProConnect", "button") {
		t.Errorf("ProConnect evidence %+v", v.Evidence)
	}
	// The button is on the sign-in page the start page links to.
	a := aAssess(t, "fc-start.html", observatory.Target{})
	if !strings.HasSuffix(a.FollowUps.Login, "/login-fc.html") {
		t.Errorf("login follow-up %q", a.FollowUps.Login)
	}
	v = aWant(t, a, criteria.IDFranceConnect, criteria.Good, "FranceConnect")
	if len(v.Evidence) == 0 || !strings.HasSuffix(v.Evidence[0].Page, "/login-fc.html") {
		t.Errorf("evidence should name the sign-in page: %+v", v.Evidence)
	}
}

func TestAssessSupport(t *testing.T) {
	t.Parallel()
	a := aAssess(t, "support-start.html", observatory.Target{})
	if !strings.HasSuffix(a.FollowUps.Contact, "/contact-form.html") {
		t.Errorf("contact follow-up %q", a.FollowUps.Contact)
	}
	v := aWant(t, a, criteria.IDSupport, criteria.Good, "Oui")
	if !aEvidence(v, "09 70 00 00 00", "") || !aEvidence(v, "formulaire de contact", "form") {
		t.Errorf("evidence %+v", v.Evidence)
	}
	// A "Nous contacter" link to a page with only a FAQ and a chatbot.
	a = aAssess(t, "support-empty.html", observatory.Target{})
	aWant(t, a, criteria.IDSupport, criteria.Bad, "Non")
	// The contact page given by the catalogue wins.
	a = aAssess(t, "support-empty.html", observatory.Target{ContactURL: fixturetest.Web(t).Page("contact-form.html")})
	aWant(t, a, criteria.IDSupport, criteria.Partial, "Partiel")
}

func TestAssessDLNUFHints(t *testing.T) {
	t.Parallel()
	v := aWant(t, aAssess(t, "dlnuf-form.html", observatory.Target{}), criteria.IDDLNUF, criteria.NotMeasured, "À venir")
	for _, c := range []struct{ fact, sel string }{
		{"nom", "#nom"}, {"prénom", "#prenom"}, {"date de naissance", "#naissance"},
		{"numéro fiscal", "#spi"}, {"avis d'imposition", "#avis"},
	} {
		if !aEvidence(v, c.fact, c.sel) {
			t.Errorf("no hint %q on %s: %+v", c.fact, c.sel, v.Evidence)
		}
	}
	if aEvidence(v, "", "#courriel") {
		t.Error("the e-mail field is not data the State holds")
	}
}

func TestAssessUnreachable(t *testing.T) {
	t.Parallel()
	_, sc := fixturetest.Env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a, err := observatory.Assess(ctx, sc, observatory.Target{URL: "http://unreachable.invalid/"}, observatory.AssessOptions{Probes: scanner.ProbeOptions{Count: -1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []criteria.ID{criteria.IDOnline, criteria.IDSatisfaction, criteria.IDSupport, criteria.IDFranceConnect} {
		if v := a.Criteria[id]; v.Level != criteria.NotMeasured || v.Label != "Erreur DNS" {
			t.Errorf("%s: %s %q, want not-measured \"Erreur DNS\"", id, v.Level, v.Label)
		}
	}
}

func TestMain(m *testing.M) { fixturetest.Main(m) }
