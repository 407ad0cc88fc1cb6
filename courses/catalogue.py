"""The handbook's module catalogue (SPEC §5, handbook pp. 6–7 and 9).

It seeds each municipality's catalogue the first time the catalogue is read;
after that the team lead edits it as data. The keys of the four collective
modules are the keys screening 2 grants (``screening.criteria.HANDBOOK_MODULES``)."""

from django.utils.translation import gettext_lazy as _

from .models import ModuleKind

HANDBOOK_CATALOGUE = [
    # key, title, kind, length, description
    (
        "accounting",
        _("Regnskab, revision og markedsføring/salg"),
        ModuleKind.COURSE,
        _("8 uger à 3 timer"),
        _("Kollektivt forløb; borgerne udarbejder detaljerede budgetter for virksomhederne."),
    ),
    (
        "vat_tax",
        _("Moms og skat"),
        ModuleKind.COURSE,
        _("2 dage"),
        _(
            "En tilpasset udgave af skattemyndighedens kursus for nye virksomheder, holdt af "
            "dens medarbejdere."
        ),
    ),
    (
        "residential",
        _("Kursusinternat: personlig udvikling og ledelse"),
        ModuleKind.RESIDENTIAL,
        _("4 døgn"),
        _(
            "Internat på kursussted. Observationerne er den sidste observation før lånet "
            "(3. screening)."
        ),
    ),
    (
        "marketing_workshop",
        _("Workshop: markedsføring og salg"),
        ModuleKind.COURSE,
        _("2 dage"),
        _("Borgerne udvikler markedsføringsmateriale, salgskoncept og strategi."),
    ),
    (
        "follow_up_accounting",
        _("Opfølgende regnskabskursus"),
        ModuleKind.AD_HOC,
        _("Efter behov"),
        _("Opfølgende undervisning i budget, regnskab og revision efter opstarten."),
    ),
    (
        "network_day",
        _("Netværksdag"),
        ModuleKind.NETWORK_DAY,
        _("Løbende"),
        _(
            "Opfølgende undervisning, erfaringsudveksling og inspiration. Frivilligt: "
            "fremmøde tæller aldrig imod nogen."
        ),
    ),
    (
        "ad_hoc",
        _("Ad hoc-kursus / fyraftensmøde"),
        ModuleKind.AD_HOC,
        _("Efter behov"),
        "",
    ),
]
