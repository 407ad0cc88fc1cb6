"""The handbook's criteria for the four screenings (SPEC §4, handbook pp. 5–8).

They seed each municipality's criteria the first time a screening of that
number is opened; after that the team lead edits them as data. A screening
record copies the title and guidance it was scored on."""

from django.utils.translation import gettext_lazy as _

HANDBOOK_CRITERIA = {
    1: [
        (
            _("Selvbillede og motivation"),
            _(
                "På baggrund af personprofilskemaet og de personlige møder. Vurderingen skal "
                "lægge vægt på borgerens selvbillede og motivation. Borgerens motivation er "
                "vigtigst: er borgeren villig til at tage imod gode råd?"
            ),
        ),
        (
            _("Tillidsrelation"),
            _("Kan medarbejderne skabe en tillidsrelation til borgeren?"),
        ),
        (
            _("Foreløbig forretningsplan og mulighederne for at realisere den"),
            _(
                "På baggrund af skemaet til foreløbig forretningsplan og de personlige møder. "
                "Fokusér ikke for meget på forretningsidéen: den kan ændre sig undervejs. "
                "Idéen vejer mindre end motivationen."
            ),
        ),
        (
            _("Borgerens historie"),
            _(
                "Sagshistorikken vurderes ud fra de tilgængelige data og sammenholdes med de "
                "nye oplysninger. Se med nye øjne på borgerens sagshistorik."
            ),
        ),
    ],
    2: [
        (
            _("Tillidsrelation"),
            _("Er der opbygget en tillidsrelation ved de individuelle møder?"),
        ),
        (
            _("Mødestabilitet"),
            _(
                "Kommer borgeren til de aftalte møder? Forløbssiden viser mødestabiliteten "
                "(andel af holdte møder, borgeren kom til)."
            ),
        ),
        (
            _("Motivation"),
            _("Er borgerens motivation og engagement fortsat højt?"),
        ),
        (
            _("Kan forretningsplanen realiseres?"),
            _(
                "Kan forretningsplanen realiseres sammen med borgeren? Ses i lyset af de første "
                "etablerings- og driftsbudgetter."
            ),
        ),
    ],
    3: [
        (
            _("Kursusdeltagelse: mødestabilitet og engagement"),
            _(
                "Hvordan var borgerens mødestabilitet på kurserne? Hvordan var engagementet? "
                "Kursusinternatet er den sidste observation før lånet."
            ),
        ),
        (
            _("Forretningsplanen"),
            _(
                "Forretningsplanen bør nu have en høj detaljeringsgrad, så "
                "virksomhedspotentialet kan vurderes."
            ),
        ),
        (
            _("Budget og indtjening"),
            _(
                "Budgettet bør nu have en høj detaljeringsgrad. Er det realistisk? Er "
                "indtjeningsmulighederne realistiske?"
            ),
        ),
        (
            _("Motivation og kompetencer"),
            _(
                "Er motivationen og engagementet fortsat højt? Er borgeren kompetencemæssigt i "
                "stand til at starte virksomhed – eller kan kompetencerne realistisk udvikles?"
            ),
        ),
    ],
    4: [
        (
            _("Selvevaluering og handleplan"),
            _(
                "Argumenterer borgeren i selvevalueringsskemaet for, hvorfor en forlængelse vil "
                "støtte etablering og konsolidering? Er handleplanen opdateret og realistisk?"
            ),
        ),
        (
            _("Individuelt evalueringsmøde"),
            _("Hvordan realiseres målene i handleplanen konkret?"),
        ),
        (
            _("Virksomhedens fremdrift"),
            _(
                "Har en forlængelse af tilskuddet afgørende betydning for etablering og "
                "konsolidering af virksomheden – eller er den flyveklar?"
            ),
        ),
    ],
}

# The handbook's collective course modules (SPEC §5): what screening 2
# grants until the courses app keeps its own catalogue.
HANDBOOK_MODULES = [
    ("accounting", _("Regnskab, revision og markedsføring/salg (8 uger à 3 timer)")),
    ("vat_tax", _("Moms og skat (2 dage)")),
    ("residential", _("Kursusinternat: personlig udvikling og ledelse (4 døgn)")),
    ("marketing_workshop", _("Workshop: markedsføring og salg (2 dage)")),
]
