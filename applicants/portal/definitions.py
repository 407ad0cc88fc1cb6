"""The portal's forms as data: steps, questions and budget lines.

The questions follow the handbook's templates (preliminary business plan,
person profile, business plan, establishment and operating budgets,
self-evaluation with action plan) in plain Danish. The texts here are the
defaults; a team lead revises a question's label and help text per
municipality (:class:`applicants.portal.models.QuestionText`), and a
submitted version keeps the texts it answered (``FormVersion.questions``).

Keys never change once a form has answers: they are the answers' keys.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Stage


class FormKind(models.TextChoices):
    PRELIMINARY_PLAN = "preliminary_plan", _("Foreløbig forretningsplan")
    PERSON_PROFILE = "person_profile", _("Personprofil")
    BUSINESS_PLAN = "business_plan", _("Forretningsplan")
    ESTABLISHMENT_BUDGET = "establishment_budget", _("Etableringsbudget")
    OPERATING_BUDGET = "operating_budget", _("Driftsbudget")
    SELF_EVALUATION = "self_evaluation", _("Selvevaluering og handleplan")


# Question types.
TEXT = "text"
TEXTAREA = "textarea"
CHOICE = "choice"
AMOUNT = "amount"  # one amount in kroner (establishment budget)
FIXED = "fixed"  # the same amount every month (operating budget)
MONTHLY = "monthly"  # twelve monthly amounts (operating budget)

MONTHS = (
    _("januar"),
    _("februar"),
    _("marts"),
    _("april"),
    _("maj"),
    _("juni"),
    _("juli"),
    _("august"),
    _("september"),
    _("oktober"),
    _("november"),
    _("december"),
)
MONTH_KEYS = tuple(f"m{i}" for i in range(1, 13))


@dataclass(frozen=True)
class Question:
    key: str
    label: object
    kind: str = TEXTAREA
    help: object = ""
    required: bool = False
    # What to do, when a required answer is missing ("Beskriv din idé").
    missing: object = ""
    choices: tuple = ()
    # Budgets: whether 25 % VAT (moms) applies to the line.
    vat: bool = False
    max_length: int = 2000


@dataclass(frozen=True)
class Step:
    key: str
    title: object
    intro: object = ""
    questions: tuple = ()
    # Budget steps: the group the lines add up to; "funding" lines are
    # subtracted (own funds) rather than added.
    group: str = ""
    attachments: bool = False


@dataclass(frozen=True)
class FormDefinition:
    kind: str
    title: object
    intro: object
    opens_at: str  # the first stage (SPEC §3) at which the citizen sees it
    when: object  # where in the course it belongs, for the start page
    steps: tuple = field(default_factory=tuple)
    budget: str = ""  # "establishment" | "operating" | ""

    @property
    def slug(self) -> str:
        return self.kind.replace("_", "-")

    def questions(self):
        for step in self.steps:
            yield from step.questions

    def question(self, key):
        return next((q for q in self.questions() if q.key == key), None)

    def step_index(self, key) -> int:
        return next(i for i, s in enumerate(self.steps) if s.key == key)


LEGAL_FORMS = (
    ("enkeltmand", _("Enkeltmandsvirksomhed")),
    ("ivs_aps", _("Anpartsselskab (ApS)")),
    ("is", _("Interessentskab (I/S)")),
    ("unknown", _("Ved ikke endnu")),
)

PRELIMINARY_PLAN = FormDefinition(
    kind=FormKind.PRELIMINARY_PLAN,
    title=FormKind.PRELIMINARY_PLAN.label,
    intro=_(
        "Skriv kort om din idé til en virksomhed. Brug dine egne ord – det er ikke en "
        "eksamen. Vi taler om svarene på næste møde."
    ),
    opens_at=Stage.FIRST_MEETING,
    when=_("Efter det første møde"),
    steps=(
        Step(
            "idea",
            _("Din idé"),
            questions=(
                Question(
                    "idea",
                    _("Hvad vil du sælge eller lave?"),
                    help=_("Fx: Jeg vil lave og sælge keramik på markeder og online."),
                    required=True,
                    missing=_("Beskriv, hvad du vil sælge eller lave"),
                ),
                Question(
                    "industry",
                    _("Hvilken branche er det?"),
                    kind=TEXT,
                    help=_("Fx frisør, håndværk, café, rengøring."),
                    max_length=200,
                ),
            ),
        ),
        Step(
            "customers",
            _("Dine kunder"),
            questions=(
                Question(
                    "customers",
                    _("Hvem skal købe?"),
                    help=_("Fx børnefamilier i lokalområdet eller små virksomheder."),
                    required=True,
                    missing=_("Skriv, hvem dine kunder er"),
                ),
                Question(
                    "why_buy",
                    _("Hvorfor skal de købe hos dig?"),
                    help=_("Hvad gør du bedre, billigere eller anderledes?"),
                ),
            ),
        ),
        Step(
            "you",
            _("Dig og idéen"),
            questions=(
                Question(
                    "experience",
                    _("Hvad kan du, som hjælper dig med idéen?"),
                    help=_("Arbejde, uddannelse, fritid – alt tæller."),
                    required=True,
                    missing=_("Skriv, hvad du kan, som hjælper dig med idéen"),
                ),
                Question(
                    "start_needs",
                    _("Hvad skal du bruge for at komme i gang?"),
                    help=_("Fx værktøj, et lokale, en bil eller en hjemmeside."),
                ),
            ),
        ),
    ),
)

PERSON_PROFILE = FormDefinition(
    kind=FormKind.PERSON_PROFILE,
    title=FormKind.PERSON_PROFILE.label,
    intro=_(
        "Fortæl om dig selv som kommende iværksætter: hvad du kan, hvem du kender, og "
        "hvad der driver dig. Vi spørger ikke om helbred."
    ),
    opens_at=Stage.FIRST_MEETING,
    when=_("Før det andet møde"),
    steps=(
        Step(
            "work",
            _("Uddannelse og arbejde"),
            questions=(
                Question(
                    "work_experience",
                    _("Hvilket arbejde har du haft?"),
                    help=_("Også fritidsjob, frivilligt arbejde og egen virksomhed."),
                    required=True,
                    missing=_("Skriv, hvilket arbejde du har haft"),
                ),
                Question(
                    "education",
                    _("Hvilken uddannelse og hvilke kurser har du?"),
                    help=_("Også kurser og uddannelse fra et andet land."),
                ),
            ),
        ),
        Step(
            "strengths",
            _("Det er du god til"),
            questions=(
                Question(
                    "competences",
                    _("Hvad er du god til?"),
                    help=_("Fx at tale med kunder, at lave mad, at reparere ting, at holde orden."),
                    required=True,
                    missing=_("Skriv, hvad du er god til"),
                ),
                Question("languages", _("Hvilke sprog taler du?"), kind=TEXT, max_length=200),
            ),
        ),
        Step(
            "network",
            _("Dit netværk"),
            questions=(
                Question(
                    "network",
                    _("Hvem kan du spørge om hjælp eller råd?"),
                    help=_("Fx familie, venner, tidligere kolleger eller en forening."),
                    required=True,
                    missing=_("Skriv, hvem du kan spørge om hjælp"),
                ),
            ),
        ),
        Step(
            "motivation",
            _("Din motivation"),
            questions=(
                Question(
                    "motivation",
                    _("Hvorfor vil du være selvstændig?"),
                    required=True,
                    missing=_("Skriv, hvorfor du vil være selvstændig"),
                ),
                Question(
                    "support_wanted",
                    _("Hvad vil du gerne have hjælp til?"),
                    help=_("Fx regnskab, salg, at lave en hjemmeside."),
                ),
            ),
        ),
    ),
)

BUSINESS_PLAN = FormDefinition(
    kind=FormKind.BUSINESS_PLAN,
    title=FormKind.BUSINESS_PLAN.label,
    intro=_(
        "Forretningsplanen beskriver din virksomhed. Du arbejder på den sammen med din "
        "erhvervscoach og kan rette den, så tit du vil, før du sender den."
    ),
    opens_at=Stage.BUSINESS_DEVELOPMENT,
    when=_("I forretningsudviklingen"),
    steps=(
        Step(
            "company",
            _("Virksomheden"),
            questions=(
                Question(
                    "product",
                    _("Hvad sælger virksomheden?"),
                    help=_("Beskriv dine varer eller ydelser."),
                    required=True,
                    missing=_("Beskriv, hvad virksomheden sælger"),
                ),
                Question(
                    "company_name",
                    _("Hvad skal virksomheden hedde?"),
                    kind=TEXT,
                    max_length=200,
                ),
                Question(
                    "legal_form",
                    _("Hvilken type virksomhed bliver det?"),
                    kind=CHOICE,
                    choices=LEGAL_FORMS,
                    help=_("De fleste starter som enkeltmandsvirksomhed."),
                ),
            ),
        ),
        Step(
            "market",
            _("Marked og kunder"),
            questions=(
                Question(
                    "customers",
                    _("Hvem er dine kunder?"),
                    required=True,
                    missing=_("Skriv, hvem dine kunder er"),
                ),
                Question(
                    "competitors",
                    _("Hvem konkurrerer du med?"),
                    help=_("Hvor køber dine kunder i dag, og hvad gør du anderledes?"),
                    required=True,
                    missing=_("Skriv, hvem du konkurrerer med"),
                ),
            ),
        ),
        Step(
            "sales",
            _("Pris og salg"),
            questions=(
                Question(
                    "pricing",
                    _("Hvad skal dine varer eller ydelser koste?"),
                    help=_("Skriv priserne, og hvordan du er kommet frem til dem."),
                    required=True,
                    missing=_("Skriv, hvad dine varer eller ydelser skal koste"),
                ),
                Question(
                    "marketing",
                    _("Hvordan finder kunderne dig?"),
                    help=_("Fx Facebook, skilte, mund til mund, markeder."),
                    required=True,
                    missing=_("Skriv, hvordan kunderne finder dig"),
                ),
            ),
        ),
        Step(
            "operations",
            _("Sådan driver du virksomheden"),
            questions=(
                Question(
                    "location",
                    _("Hvor skal virksomheden ligge?"),
                    help=_("Fx hjemme, i et lokale, på nettet eller hos kunderne."),
                ),
                Question("suppliers", _("Hvem køber du varer eller materialer hos?")),
                Question(
                    "permits",
                    _("Skal du have tilladelser, forsikringer eller autorisation?"),
                ),
            ),
        ),
        Step(
            "goals",
            _("Mål og risici"),
            questions=(
                Question(
                    "goals",
                    _("Hvad er dit mål for det første år?"),
                    required=True,
                    missing=_("Skriv dit mål for det første år"),
                ),
                Question(
                    "risks",
                    _("Hvad kan gå galt, og hvad gør du så?"),
                    required=True,
                    missing=_("Skriv, hvad der kan gå galt, og hvad du så gør"),
                ),
            ),
        ),
        Step(
            "attachments",
            _("Bilag"),
            intro=_(
                "Du kan vedhæfte fx billeder af dine varer, et tilbud på udstyr eller en "
                "prisliste. PDF, billeder (JPEG, PNG) og Word-filer."
            ),
            attachments=True,
        ),
    ),
)


def _amount(key, label, *, vat=True, help=""):
    return Question(key, label, kind=AMOUNT, vat=vat, help=help)


ESTABLISHMENT_BUDGET = FormDefinition(
    kind=FormKind.ESTABLISHMENT_BUDGET,
    title=FormKind.ESTABLISHMENT_BUDGET.label,
    intro=_(
        "Hvad koster det at starte virksomheden, og hvad har du selv? Skriv beløbene uden "
        "moms. Forskellen er det, du skal låne."
    ),
    opens_at=Stage.BUSINESS_DEVELOPMENT,
    when=_("I forretningsudviklingen"),
    budget="establishment",
    steps=(
        Step(
            "equipment",
            _("Udstyr og inventar"),
            group="need",
            questions=(
                _amount("machines", _("Maskiner og værktøj")),
                _amount("furniture", _("Inventar"), help=_("Fx reoler, disk, borde og stole.")),
                _amount("it", _("Computer, telefon og programmer")),
                _amount("vehicle", _("Bil, cykel eller trailer")),
            ),
        ),
        Step(
            "start",
            _("Opstart"),
            group="need",
            questions=(
                _amount("stock", _("Første varelager og materialer")),
                _amount(
                    "launch_marketing",
                    _("Markedsføring ved start"),
                    help=_("Fx logo, hjemmeside, skilte og visitkort."),
                ),
                _amount("deposit", _("Depositum og forudbetalt husleje"), vat=False),
                _amount(
                    "advice",
                    _("Rådgivning, registrering og forsikring"),
                    vat=False,
                ),
                _amount("other_start", _("Andet")),
            ),
        ),
        Step(
            "own_funds",
            _("Det har du selv"),
            group="funding",
            intro=_("Penge og ting, du selv lægger i virksomheden."),
            questions=(
                _amount("own_savings", _("Opsparing"), vat=False),
                _amount(
                    "own_equipment",
                    _("Udstyr, du allerede har"),
                    vat=False,
                    help=_("Hvad det er værd, hvis du skulle købe det i dag."),
                ),
                _amount("other_funding", _("Andre lån eller tilskud"), vat=False),
            ),
        ),
    ),
)


def _fixed(key, label, *, vat=True, help=""):
    return Question(key, label, kind=FIXED, vat=vat, help=help)


OPERATING_BUDGET = FormDefinition(
    kind=FormKind.OPERATING_BUDGET,
    title=FormKind.OPERATING_BUDGET.label,
    intro=_(
        "Hvad regner du med at sælge, og hvad koster det at drive virksomheden det første "
        "år? Skriv beløbene uden moms – vi regner momsen ud."
    ),
    opens_at=Stage.BUSINESS_DEVELOPMENT,
    when=_("I forretningsudviklingen"),
    budget="operating",
    steps=(
        Step(
            "sales",
            _("Salg"),
            group="income",
            intro=_("Hvad regner du med at sælge for hver måned? Uden moms."),
            questions=(
                Question("revenue", _("Salg"), kind=MONTHLY, vat=True),
                Question(
                    "other_income",
                    _("Andre indtægter i virksomheden"),
                    kind=MONTHLY,
                    vat=True,
                ),
            ),
        ),
        Step(
            "goods",
            _("Varer og materialer"),
            group="variable",
            intro=_("Hvad koster de varer og materialer, du sælger eller bruger? Uden moms."),
            questions=(Question("goods", _("Varer og materialer"), kind=MONTHLY, vat=True),),
        ),
        Step(
            "fixed",
            _("Faste udgifter"),
            group="fixed",
            intro=_("Skriv, hvad hver udgift koster om måneden. Uden moms."),
            questions=(
                _fixed("rent", _("Husleje")),
                _fixed("utilities", _("El, vand og varme")),
                _fixed("insurance", _("Forsikringer"), vat=False),
                _fixed("phone_internet", _("Telefon og internet")),
                _fixed("transport", _("Bil og transport")),
                _fixed("marketing", _("Markedsføring")),
                _fixed("accounting", _("Revisor og bogholderi")),
                _fixed("loan_repayment", _("Afdrag på mikrolånet"), vat=False),
                _fixed("other_fixed", _("Andre faste udgifter")),
            ),
        ),
    ),
)

SELF_EVALUATION = FormDefinition(
    kind=FormKind.SELF_EVALUATION,
    title=FormKind.SELF_EVALUATION.label,
    intro=_(
        "Se tilbage på det første halve år med virksomheden, og lav en plan for de næste "
        "måneder. Vi taler om den på evalueringsmødet."
    ),
    opens_at=Stage.RUNNING,
    when=_("Før 4. screening"),
    steps=(
        Step(
            "status",
            _("Hvordan går det?"),
            questions=(
                Question(
                    "status",
                    _("Hvordan går det med virksomheden?"),
                    help=_("Fx kunder, salg, og hvad der har været svært."),
                    required=True,
                    missing=_("Skriv, hvordan det går med virksomheden"),
                ),
                Question(
                    "goals_met",
                    _("Hvilke mål har du nået?"),
                    required=True,
                    missing=_("Skriv, hvilke mål du har nået"),
                ),
            ),
        ),
        Step(
            "extension",
            _("Forlængelse af støtten"),
            questions=(
                Question(
                    "extension_reason",
                    _("Hvorfor vil en forlængelse af tilskuddet hjælpe din virksomhed?"),
                    help=_("Spring spørgsmålet over, hvis du får førtidspension."),
                ),
            ),
        ),
        Step(
            "action_plan",
            _("Handleplan"),
            questions=(
                Question(
                    "action_plan",
                    _("Hvad vil du gøre de næste 3 måneder, og hvornår?"),
                    help=_("Skriv et punkt pr. linje, fx: Maj: Lave ny hjemmeside."),
                    required=True,
                    missing=_("Skriv, hvad du vil gøre de næste 3 måneder"),
                ),
                Question("new_goals", _("Hvilke nye mål sætter du dig?")),
                Question("help_needed", _("Hvad har du brug for hjælp til?")),
            ),
        ),
    ),
)

DEFINITIONS = {
    d.kind: d
    for d in (
        PRELIMINARY_PLAN,
        PERSON_PROFILE,
        BUSINESS_PLAN,
        ESTABLISHMENT_BUDGET,
        OPERATING_BUDGET,
        SELF_EVALUATION,
    )
}
BY_SLUG = {d.slug: d for d in DEFINITIONS.values()}


def definition(kind) -> FormDefinition:
    return DEFINITIONS[str(kind)]
