"""Every form's "required" error says what to do, from the field's label."""

from django import forms

from mikrolaan.formerrors import required_message


class Example(forms.Form):
    first_name = forms.CharField(label="Fornavn")
    cpr = forms.CharField(label="CPR-nummer")
    benefit = forms.ChoiceField(label="Forsørgelsesgrundlag", choices=[("a", "A")])
    consent = forms.BooleanField(label="Samtykke")
    own = forms.CharField(label="Idé", error_messages={"required": "Skriv din idé"})


def test_required_errors_say_what_to_do():
    form = Example(data={})
    assert not form.is_valid()
    assert form.errors["first_name"] == ["Indtast fornavn"]
    assert form.errors["cpr"] == ["Indtast CPR-nummer"]
    assert form.errors["benefit"] == ["Vælg forsørgelsesgrundlag"]
    assert form.errors["consent"] == ["Vælg samtykke"]
    assert form.errors["own"] == ["Skriv din idé"]  # a form's own words are kept


def test_a_file_field_asks_for_a_file():
    assert required_message(forms.FileField(label="Bilag")) == "Vælg en fil: bilag"


def test_the_staff_intake_form_says_what_to_do(client, team_member):
    from django.urls import reverse

    client.force_login(team_member)
    body = client.post(reverse("applicants:inquiry_create"), {"last_name": "Holm"}).content.decode()
    assert "Indtast fornavn" in body
    assert "Dette felt er påkrævet" not in body
