"""Calendar and money words per language, kept as data so a new form is one edit.

Every entry is a regular-expression fragment written in lower case with its diacritics;
rules compile them with :func:`receivables.nlu.text.compile_folded`, so "środę" also matches
"srode".  Polish nouns list their case endings; German and English list spellings.
"""

from __future__ import annotations

NEVER = r"(?!)"  # a pattern that matches nothing: this language has no such phrase

MONTHS: dict[str, dict[int, str]] = {
    "pl": {
        1: r"stycz(?:eń|nia|niu|niem)", 2: r"lut(?:y|ego|ym)", 3: r"mar(?:zec|ca|cu)",
        4: r"kwie(?:cień|tnia|tniu)", 5: r"maj(?:a|u)?", 6: r"czerw(?:iec|ca|cu)",
        7: r"lip(?:iec|ca|cu)", 8: r"sierp(?:ień|nia|niu)", 9: r"wrze(?:sień|śnia|śniu)",
        10: r"październik(?:a|u)?", 11: r"listopad(?:a|zie)?", 12: r"grud(?:zień|nia|niu)",
    },
    "de": {
        1: r"januar|jänner|jan\.?", 2: r"februar|feb\.?", 3: r"märz|maerz|mrz\.?",
        4: r"april|apr\.?", 5: r"mai", 6: r"juni|jun\.?", 7: r"juli|jul\.?",
        8: r"august|aug\.?", 9: r"september|sept?\.?", 10: r"oktober|okt\.?",
        11: r"november|nov\.?", 12: r"dezember|dez\.?",
    },
    "en": {
        1: r"january|jan\.?", 2: r"february|feb\.?", 3: r"march|mar\.?", 4: r"april|apr\.?",
        5: r"may", 6: r"june|jun\.?", 7: r"july|jul\.?", 8: r"august|aug\.?",
        9: r"september|sept?\.?", 10: r"october|oct\.?", 11: r"november|nov\.?",
        12: r"december|dec\.?",
    },
}

# Monday is 0, as in date.weekday().
WEEKDAYS: dict[str, dict[int, str]] = {
    "pl": {
        0: r"poniedział(?:ek|ku|kiem)", 1: r"wtor(?:ek|ku|kiem)", 2: r"środ(?:a|ę|y|zie|ą)",
        3: r"czwart(?:ek|ku|kiem)", 4: r"piąt(?:ek|ku|kiem)", 5: r"sobot(?:a|ę|y|ą)",
        6: r"niedziel(?:a|ę|i|ą)",
    },
    # German joins a time of day to the weekday: "Mittwochabend", "Freitagnachmittag".
    "de": {
        day: rf"(?:{name})(?:morgen|vormittag|mittag|nachmittag|abend|nacht)?"
        for day, name in {0: "montag", 1: "dienstag", 2: "mittwoch", 3: "donnerstag", 4: "freitag",
                          5: "samstag|sonnabend", 6: "sonntag"}.items()
    },
    # "mon", "sat" and "sun" are English words too: only the other days are abbreviated.
    "en": {
        0: r"monday", 1: r"tuesday|tues?", 2: r"wednesday|weds?", 3: r"thursday|thu(?:rs?)?",
        4: r"friday|fri", 5: r"saturday", 6: r"sunday",
    },
}

# Relative spans: a number (already digits) followed by one of these units.
UNITS: dict[str, dict[str, str]] = {
    "pl": {
        "workdays": r"dni robocz\w*|dzień roboczy|dnia roboczego",
        "days": r"dni|dzień|dnia|dniach",
        "weeks": r"tydzień|tygodni\w*",
        "months": r"miesiąc\w*|miesięcy",
        "hours": r"godzin\w*|godzinę|godziny",
    },
    "de": {
        "workdays": r"werktag\w*|arbeitstag\w*|geschäftstag\w*|bankarbeitstag\w*",
        "days": r"tag|tage|tagen|tages",
        "weeks": r"woche|wochen",
        "months": r"monat|monate|monaten|monats",
        "hours": r"stunden?",
    },
    "en": {
        "workdays": r"(?:business|working|work|bank) days?|workdays?",
        "days": r"days?",
        "weeks": r"weeks?",
        "months": r"months?",
        "hours": r"hours?",
    },
}

# Words between the number and its unit that do not change the span ("7 more days").
UNIT_FILLERS: dict[str, str] = {
    "pl": r"(?:dodatkow\w+ |kolejn\w+ |następn\w+ |pełn\w+ )?",
    "de": r"(?:weitere[n]? |zusätzliche[n]? |volle[n]? )?",
    "en": r"(?:more |extra |additional |further |full )?",
}

# A unit said without a number means one of it ("do tygodnia", "a week").
BARE_UNIT: dict[str, str] = {
    "pl": r"(?:do|za|w ciągu|w przeciągu|przez|jeszcze|mi|najpóźniej za|około) (?P<unit>tydzień|tygodnia|miesiąc|miesiąca)",
    "de": r"(?:eine?|einer|einen) (?P<unit>woche|monat)",
    "en": r"(?:an?|one) (?:more |extra |additional |further )?(?P<unit>week|month|day)",
}

# Vague spans, fixed once: "kilka dni" / "ein paar Tage" / "a few days" / "a couple of days"
# are 3 of the unit; "półtora tygodnia" / "anderthalb Wochen" / "a week and a half" are 10 days
# (the earlier whole day of 10.5), one and a half months are a month and 15 days.
FEW_COUNT = 3
FEW: dict[str, str] = {
    "pl": r"(?:kilka|kilku|parę|paru)",
    "de": r"(?:1 paar|paar|einige[n]?|wenige[n]?)",
    "en": r"(?:a few|a couple of|a couple|couple of|few)",
}
# "na dniach", "in den nächsten Tagen", "in the coming days": as vague, so also 3 days.
COMING_DAYS: dict[str, str] = {
    "pl": r"na dniach|w (?:najbliższych|kolejnych|następnych|nadchodzących) dniach",
    "de": r"in den (?:nächsten|kommenden|folgenden) tagen",
    "en": r"(?:in|over|within) the (?:next|coming|following) (?:few |couple of )?days",
}
ONE_AND_A_HALF: dict[str, str] = {
    "pl": r"(?:półtora|półtorej) (?P<unit>tygodnia|miesiąca)",
    "de": r"(?:anderthalb|eineinhalb) (?P<unit>wochen|monate[n]?)",
    "en": r"(?:an?|one|1) (?P<unit>week|month) and a half|(?:1 and a half|1\.5) (?P<unit2>weeks|months)",
}

# "po piętnastym", "nach dem 15.", "after the 15th": the day after that day of the month.
AFTER_DAY: dict[str, str] = {
    "pl": r"po",
    "de": r"nach dem|nach",
    "en": r"after(?: the)?",
}

FORTNIGHT: dict[str, str] = {"pl": NEVER, "de": NEVER, "en": r"(?:an? |1 )?(?:extra |more )?fortnight"}

# Ago: the span lies in the past.
AGO_AFTER: dict[str, str] = {"pl": r" temu", "de": NEVER, "en": r" ago"}
AGO_BEFORE: dict[str, str] = {"pl": NEVER, "de": r"vor ", "en": NEVER}

# Offsets in days from today.
DAY_WORDS: dict[str, dict[int, str]] = {
    "pl": {
        0: r"dziś|dzisiaj|dzisiejsz\w+|dzień dzisiejszy|za godzinę"
           r"|za pół godziny|za \d+ minut\w*|za (?:chwilę|chwileczkę|moment|momencik|kwadrans)",
        1: r"jutro|jutra|jutrzejsz\w+",
        2: r"pojutrze",
    },
    "de": {
        0: r"heute(?: morgen| früh| abend| nachmittag| noch)?"
           r"|in (?:einer|1) (?:halben|viertel) stunde|in einer viertelstunde|in (?:\d+|ein paar|einigen|wenigen) minuten",
        # "morgen" after a weekday is its morning ("Donnerstag Morgen"), not tomorrow.
        1: r"(?<!guten )(?<!am )(?<!jeden )(?<!tag )(?<!mittwoch )(?<!sonnabend )morgen(?!s)",
        2: r"übermorgen",
    },
    "en": {
        0: r"today|tonight|tonite|later today|this (?:afternoon|evening)|in an hour"
           r"|in (?:half an hour|\d+ minutes?|a few minutes|a couple of minutes|a minute|a moment|a sec(?:ond)?)",
        1: r"tomorrow|tmrw|tmr|tmw|tomorow|tommorow|tommorrow|2moro|2morrow",
        2: r"(?:the )?day after tomorrow",
    },
}

# A time of day or of the clock: today when the answer names no day, otherwise only a detail of
# the day it names ("w piątek po południu" is Friday, "2 maja wieczorem" stays 2 May).  A clock
# time needs a colon, an hour word or a preposition only clocks take ("o 16", "um 16", "at 4").
TIME_OF_DAY: dict[str, str] = {
    "pl": r"wieczorem|wieczorkiem|do wieczora|na wieczór|pod wieczór|po południu|popołudniu|w południe"
          r"|(?:koło|około|przed) południ\w*|po pracy|po obiedzie"
          r"|(?:o|po|przed|około|koło|od|do) (?:godzinie )?(?:szóstej|siódmej|ósmej|dziewiątej|dziesiątej"
          r"|jedenastej|dwunastej|trzynastej|czternastej|piętnastej|szesnastej|siedemnastej|osiemnastej"
          r"|dziewiętnastej|dwudziestej(?: pierwszej| drugiej| trzeciej)?)"
          r"|(?:(?:o|po|przed|około|koło|od|do|na) )?"
          r"(?:godz(?:inie|\.)? ?\d{1,2}(?:[:.]\d{2})?|\d{1,2}:\d{2}|\d{1,2}(?:[:.]\d{2})? ?(?:godz\.?|h)(?![a-z]))"
          r"|(?:o|około|koło) \d{1,2}(?:[:.]\d{2})?(?![\d.,:/])",
    "de": r"am (?:vormittag|mittag|nachmittag|abend)|(?:gegen|bis|bis zum) (?:mittag|abend)"
          r"|vormittags|mittags|nachmittags|abends|nach (?:feierabend|der arbeit|dem (?:mittag)?essen)"
          r"|(?:(?:um|gegen|ab|nach|vor|bis|zwischen) )?(?:\d{1,2}(?:[:.]\d{2})? ?uhr|\d{1,2}:\d{2})"
          r"|(?:um|gegen) \d{1,2}(?:[:.]\d{2})?(?![\d.,:/])",
    "en": r"(?:in|by) the (?:afternoon|evening)|by evening|after (?:work|lunch|dinner)"
          r"|(?:at|around|about|by) (?:noon|lunchtime|lunch)"
          r"|(?:(?:at|after|before|around|about|by|from|until|till) )?"
          r"(?:\d{1,2}(?:[:.]\d{2})? ?(?:am|pm|a\.m\.|p\.m\.|o'clock)|\d{1,2}:\d{2})"
          r"|(?:at|around|about) \d{1,2}(?:[:.]\d{2})?(?![\d.,:/])|(?:after|before|from) \d{1,2}(?![\d.,:/])",
}

# "Now": today, but weaker than any other date in the sentence ("now I can't, on Friday I will").
NOW_WORDS: dict[str, str] = {
    "pl": r"teraz|zaraz(?! (?:wracam|wrócę))|od razu|natychmiast|od ręki|niezwłocznie|na już",
    "de": r"jetzt|sofort|gleich(?! (?:wieder|zurück))|umgehend|direkt|unverzüglich",
    "en": r"now|right away|immediately|straight away|(?<!all )at once|asap",
}

# Frequencies, not dates: "£100 a month", "a hundred a month" (`#` is a masked sum of money).
FREQUENCY: dict[str, str] = {
    "pl": r"(?:#+|\d+) (?:na|co) (?:miesiąc|tydzień)|co \d+ (?:dni|tygodnie|miesiące)",
    "de": r"(?:#+|\d+) (?:pro|im|jeden|jede) (?:monat|woche)|alle \d+ (?:tage|wochen|monate)",
    "en": r"(?:#+|\d+) (?:a|per|each|every) (?:day|week|month)|every \d+ (?:days|weeks|months)",
}

# "a week from today", "za tydzień od dziś": the span counts, its starting point is no date.
FROM_TODAY: dict[str, str] = {
    "pl": r"od (?:dziś|dzisiaj|teraz|dzisiejszego dnia)",
    "de": r"ab (?:heute|jetzt)|von (?:heute|jetzt) an",
    "en": r"from (?:today|now)",
}

# Durations, not dates: "rozłożyć na 3 miesiące", "auf drei Monate verteilen", "over six months".
DURATION: dict[str, str] = {"pl": r"(?:na|przez)", "de": r"(?:auf|über)", "en": r"(?:over|across)"}

# Said about the past: recognised as a date so that no later rule reads them as a promise.
PAST_WORDS: dict[str, str] = {
    "pl": r"wczoraj|przedwczoraj|(?:w )?(?:zeszłym|ubiegłym|poprzednim) (?:tygodniu|miesiącu)|(?:w )?(?:zeszły|ubiegły) \w+|tydzień temu|miesiąc temu",
    "de": r"gestern|vorgestern|letzte[nr]? (?:woche|monat|\w+tag|mittwoch)|vergangene[nr]? (?:woche|monat)|vor einer woche"
          r"|seit (?:gestern|vorgestern|\w+tag|mittwoch|letzte[rnm]? \w+)",
    "en": r"yesterday|the day before yesterday|last (?:week|month|\w+day)|a week ago|a month ago"
          r"|since (?:yesterday|last \w+|\w+day)",
}

NEXT: dict[str, str] = {
    "pl": r"(?:w |we |do |na )?(?:przyszł\w+|następn\w+)",
    "de": r"(?:am |bis |bis zum |zum )?nächste[nrsm]?",
    "en": r"(?:on |by |until |till )?(?:next|nxt)",
}

THIS: dict[str, str] = {
    "pl": r"(?:w |we |do |na )?(?:ten|tę|ta|najbliższ\w+|ten najbliższy|tę najbliższą)",
    "de": r"(?:am |bis |bis zum |zum )?(?:diese[nrsm]?|kommende[nrsm]?)",
    "en": r"(?:on |by |until |till )?(?:this coming|this|coming|the coming)",
}

WEEKDAY_PREP: dict[str, str] = {
    "pl": r"(?:(?:w|we|do|na|od|przed|najpóźniej w|najpóźniej do) )?",
    "de": r"(?:(?:am|bis|bis zum|zum|ab|spätestens am|spätestens bis|bis spätestens) )?",
    "en": r"(?:(?:on|by|until|till|before|no later than|latest by) )?",
}

# "w przyszłym tygodniu", "nächste Woche", "next week": the week after the current one.
NEXT_WEEK: dict[str, str] = {
    "pl": r"(?:w |na )?(?:przyszłym|następnym) tygodniu|przyszły tydzień|przyszłego tygodnia",
    "de": r"(?:in der |im laufe der )?nächste[nr]? woche|(?:in der )?kommende[nr]? woche",
    "en": r"(?:during |in |sometime )?next week",
}
THIS_WEEK: dict[str, str] = {
    "pl": r"(?:w |na )?tym tygodniu|(?:w )?ten tydzień|(?:w )?bieżącym tygodniu",
    "de": r"(?:in )?dieser woche|diese woche",
    "en": r"(?:during |in |sometime )?this week",
}
END_OF_WEEK: dict[str, str] = {
    "pl": r"(?:do |na |pod |przed )?(?:koniec|końca|końcem|końcu) (?:tego |bieżącego )?tygodnia",
    "de": r"(?:bis )?(?:zum |spätestens )?ende (?:der|dieser|diese) woche",
    "en": r"(?:by |at |before )?(?:the )?end of (?:the |this )?week",
}
END_OF_NEXT_WEEK: dict[str, str] = {
    "pl": r"(?:do |na |pod |przed )?(?:koniec|końca|końcem|końcu) (?:przyszłego|następnego) tygodnia",
    "de": r"(?:bis )?(?:zum )?ende (?:der )?nächste[nr]? woche",
    "en": r"(?:by |at )?(?:the )?end of next week",
}
START_OF_NEXT_WEEK: dict[str, str] = {
    "pl": r"(?:na |z )?(?:początku|początek|początkiem) (?:przyszłego|następnego) tygodnia",
    "de": r"anfang (?:der )?nächste[nr]? woche",
    "en": r"(?:early|(?:at )?the (?:beginning|start) of) next week",
}
WEEKEND: dict[str, str] = {
    "pl": r"(?:w |na |przez |do )(?:ten )?weekend\w*",
    "de": r"(?:am |übers |über das |bis zum |dieses )wochenende",
    "en": r"(?:at |on |over |by |this )(?:the )?weekend",
}

# "po weekendzie" is the Monday after the coming weekend; "next weekend" the Sunday of next week.
AFTER_WEEKEND: dict[str, str] = {"pl": r"po weekendzie", "de": r"nach dem wochenende", "en": r"after the weekend"}
NEXT_WEEKEND: dict[str, str] = {
    "pl": r"(?:w |na |do )?(?:przyszły|następny) weekend|(?:w )?(?:przyszłym|następnym) weekendzie",
    "de": r"(?:am |übers |bis zum )?nächste[ns]? wochenende",
    "en": r"(?:on |by |at |over )?(?:the )?next weekend",
}

CURRENT_MONTH: dict[str, str] = {
    "pl": r"(?:tego |bieżącego |obecnego )?miesiąca",
    "de": r"(?:des |diese[sn] )?monats",
    "en": r"(?:the |this )?month",
}
NEXT_MONTH: dict[str, str] = {
    "pl": r"(?:przyszłego|następnego) miesiąca",
    "de": r"(?:des )?(?:nächsten|kommenden) monats|nächsten monat",
    "en": r"next month",
}
END_OF: dict[str, str] = {
    "pl": r"(?:do |na |pod |przed )?(?:koniec|końca|końcem|końcu) ",
    "de": r"(?:bis )?(?:zum |spätestens |spätestens zum )?ende ",
    "en": r"(?:by |at |before |until )?(?:the )?end of ",
}
START_OF: dict[str, str] = {
    "pl": r"(?:na |z |od )?(?:początku|początek|początkiem) ",
    "de": r"(?:bis |ab )?anfang (?:des )?",
    "en": r"(?:early |(?:at |by )?the (?:beginning|start) of |(?:at |by )?(?:the )?beginning of |(?:at |by )?(?:the )?start of )",
}
MIDDLE_OF: dict[str, str] = {
    "pl": r"(?:w |do |na )?(?:połowie|połowy|połowę|połowa|środku) ",
    "de": r"(?:bis )?mitte ",
    "en": r"(?:(?:by |in |around )?(?:the )?middle of |mid-|mid )",
}
MONTH_END_WORD: dict[str, str] = {"pl": NEVER, "de": r"(?:bis |zum |bis zum )?monatsende", "en": NEVER}
LAST_DAY_OF_MONTH: dict[str, str] = {
    "pl": r"(?:w |do |na )?ostatni\w* (?:dzień|dnia|dniu) (?:tego |bieżącego )?miesiąca",
    "de": r"(?:am |bis zum |zum )?(?:letzten tag (?:des|dieses) monats|monatsletzten)",
    "en": r"(?:on |by )?the (?:last|final) day of (?:the|this) month",
}
# After a day of the month: the month it is in ("25 bm.", "am 25. dieses Monats").
OF_THIS_MONTH: dict[str, str] = {
    "pl": r"(?:tego|bieżącego) miesiąca|b\.? ?m\.?(?![a-z])",
    "de": r"(?:dieses|des laufenden|des aktuellen) monats",
    "en": r"of (?:this|the current) month",
}
OF_NEXT_MONTH: dict[str, str] = {
    "pl": r"(?:przyszłego|następnego) miesiąca",
    "de": r"(?:des )?(?:nächsten|kommenden) monats",
    "en": r"of (?:next|the next|the following) month",
}
END_OF_YEAR: dict[str, str] = {
    "pl": r"(?:do |na |pod |przed )?(?:koniec|końca|końcem|końcu) (?:tego |bieżącego )?roku",
    "de": r"(?:bis )?(?:zum |spätestens )?(?:jahresende|ende (?:des|dieses) jahres)",
    "en": r"(?:by |at |before |until )?(?:the )?(?:end of (?:the |this )?year|year[- ]end)",
}

# Holidays on fixed days: (month, first day, number of days).  "Before" one is the day before
# its first day, "after" it the day after its last day, "by" it ("na święta") its first day.
HOLIDAY_DATES: dict[str, tuple[int, int, int]] = {
    "christmas_eve": (12, 24, 1), "christmas": (12, 25, 2), "new_years_eve": (12, 31, 1), "new_year": (1, 1, 1),
}
HOLIDAYS: dict[str, dict[str, str]] = {
    "pl": {
        "christmas_eve": r"wigili\w*", "christmas": r"(?:święta|świąt|świętach|świętami)(?: bożego narodzenia)?|boż\w+ narodzeni\w*",
        "new_years_eve": r"sylwest\w*", "new_year": r"now\w+ rok\w*",
    },
    "de": {
        "christmas_eve": r"heilig(?:en |em |er )?abend", "christmas": r"weihnachten|(?:den )?weihnachtsfeiertagen",
        "new_years_eve": r"silvester", "new_year": r"neujahr",
    },
    "en": {
        "christmas_eve": r"christmas eve", "christmas": r"christmas|xmas",
        "new_years_eve": r"new year'?s eve", "new_year": r"(?:the )?new year(?:'?s(?: day)?)?",
    },
}
HOLIDAY_BEFORE: dict[str, str] = {
    "pl": r"(?:tuż |jeszcze )?przed", "de": r"(?:noch |kurz )?vor", "en": r"(?:just |right )?before",
}
HOLIDAY_AFTER: dict[str, str] = {
    "pl": r"(?:zaraz |tuż )?po", "de": r"(?:gleich |kurz |direkt )?nach", "en": r"(?:just |right )?after",
}
HOLIDAY_BY: dict[str, str] = {"pl": r"na|do", "de": r"an|zu|bis(?: zu)?|am", "en": r"on|by|at|for|until|till"}
# "Nächsten Monat Anfang": the month named first, its beginning after it.
NEXT_MONTH_START_AFTER: dict[str, str] = {
    "pl": r"(?:w )?(?:przyszłym|następnym) miesiącu na początku|przyszły miesiąc,? na początku",
    "de": r"(?:im |am )?(?:nächsten|kommenden) monat(?:s)?,? (?:am )?anfang",
    "en": r"next month,? (?:early|at the (?:beginning|start))",
}
IN_MONTH: dict[str, str] = {"pl": r"(?:w|we) ", "de": r"im ", "en": r"in "}
IN_NEXT_MONTH: dict[str, str] = {
    "pl": r"(?:w )?(?:przyszłym|następnym) miesiącu|przyszły miesiąc",
    "de": r"(?:im )?(?:nächsten|kommenden) monat",
    "en": r"(?:in |during |sometime )?next month",
}
IN_THIS_MONTH: dict[str, str] = {
    "pl": r"(?:w )?(?:tym|bieżącym) miesiącu",
    "de": r"(?:in )?diese[mn] monat",
    "en": r"(?:in |during )?this month",
}

# Prepositions that make a bare number (no dot) a day of the month: "do 20", "by the 20".
DAY_PREP: dict[str, str] = {
    "pl": r"(?:do|dnia|na dzień|w dniu|najpóźniej do|przed)",
    "de": r"(?:am|zum|bis zum|bis|ab dem|spätestens am|spätestens zum|bis spätestens zum)",
    # Without "the" only an ordinal is a day: "by the 20th", "by 20th", but "by 5" is a time.
    "en": r"(?:on|by|until|till|before|after|from|for) (?:the |(?=\d{1,2}\.))|the ",
}
# Nouns after "the 2." that show it is not a day ("the second instalment").
NOT_A_DAY_AFTER: str = (
    r"(?!\s*(?:rat\w*|racie|installment\w*|instalment\w*|half|hälfte|halfte|payment\w*|time\w*|mal\b|"
    r"reminder\w*|mahnung\w*|invoice\w*|rechnung\w*|part\w*|teil\w*|część\w*|czesc\w*|połow\w*|polow\w*|"
    r"dni|tag\w*|day\w*|week\w*|woche\w*|tydz\w*|tygod\w*|month\w*|monat\w*|miesi\w*|%|godz\w*|uhr|hour\w*|o'clock|am\b|pm\b))"
)

CURRENCIES: dict[str, str] = {
    "PLN": r"zł|złotych|złote|złoty|złotówek|złotówki|złociszy|pln|zeta|zet",
    "EUR": r"€|eur|euro|euros|eurów|euraków",
    "USD": r"\$|usd|us-dollar|dollars?|bucks|dolarów|dolary|dolara|dolar",
    "GBP": r"£|gbp|pounds?(?: sterling)?|quid|funtów|funty|funta|pfund",
    "CHF": r"chf|franken|francs?|franków",
}

# Parts of the debt said instead of a sum.
SHARES: dict[str, dict[str, str]] = {
    "pl": {
        "half": r"(?:drugą |pierwszą )?połow\w*|pół kwoty|pół długu|pół",
        "rest": r"reszt\w*|pozostał\w* (?:kwot\w*|częś\w*|sum\w*)|pozostałe|pozostałą|pozostałość",
        "full": r"całość|całą kwotę|całą sumę|cały dług|w całości|wszystko",
    },
    "de": {
        "half": r"(?:die |eine )?(?:andere |zweite |erste )?hälfte|halbe[nr]? betrag|halb",
        "rest": r"(?:den |der )?rest(?:betrag|summe|lichen)?|übrige[n]?|restliche[n]?",
        "full": r"(?:den )?(?:ganzen|gesamten|vollen) betrag|alles|vollständig|komplett",
    },
    "en": {
        "half": r"(?:the )?(?:other |second |first )?half",
        "rest": r"(?:the )?(?:rest|remainder|remaining (?:amount|balance|part)|balance)",
        "full": r"in full|the full amount|the whole (?:amount|sum|thing)|everything|all of it|the full balance",
    },
}

# Where a sentence may hand over to the next part of a payment plan.
CLAUSE_BREAKS: dict[str, str] = {
    "pl": r",(?!\d)|;|\s(?:a|i|oraz|potem|następnie|zaś|natomiast)\s",
    "de": r",(?!\d)|;|\s(?:und|dann|danach|anschließend|sowie)\s",
    "en": r",(?!\d)|;|\s(?:and|then|after that|plus)\s",
}

# Any word about paying: with one of these, a date alone makes the answer a promise.
PAY_WORDS: dict[str, str] = {
    "pl": r"płac|płat|przelew|przelej|wpłac|pieniąd|kas[aęy]\b|spłac|ureguluj|dług|należnoś",
    "de": r"zahl|überwei|geld|begleich|beglich|betrag|schulden",
    "en": r"pay|paid|money|transfer|settle|fund|cash|debt|owe",
}

# Verbs of being and having: "jutro mam urodziny", "morgen ist Feiertag" state a fact about the
# day, so a date with one of these and no word about paying is not an answer naming a date.
STATE_VERBS: dict[str, str] = {
    "pl": r"\b(?:mam|ma|mamy|jest|są|będzie|był|była)\b",
    "de": r"\b(?:habe|hab|hat|haben|ist|sind|war|bin)\b",
    "en": r"\b(?:is|are|was|have|has|had|i'm|it's)\b",
}

# Agreement words: "Ist gut, Freitag" is still an answer naming a date despite "ist".
AGREEMENT: dict[str, str] = {
    "pl": r"\b(?:tak|dobrze|dobra|ok|okej|jasne)\b",
    "de": r"\b(?:ja|gut|ok|okay|in ordnung|klar|einverstanden)\b",
    "en": r"\b(?:yes|yeah|ok|okay|fine|sure|alright)\b",
}

# Words that turn a sentence round: what follows decides the intent ("nie teraz, ale w piątek").
CONTRAST: dict[str, str] = {
    "pl": r"\b(?:ale|lecz|jednak|jednakże|natomiast|tylko że)\b",
    "de": r"\b(?:aber|jedoch|doch|allerdings|sondern)\b",
    "en": r"\b(?:but|however|though|although)\b",
}

# English typed without apostrophes ("cant talk now", "im driving"): restored before the rules.
APOSTROPHES: dict[str, str] = {
    word: word[:-1] + "'t"
    for word in ("cant", "dont", "wont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent", "havent",
                 "hasnt", "hadnt", "couldnt", "wouldnt", "shouldnt", "aint")
} | {"im": "i'm", "ive": "i've", "youre": "you're", "youve": "you've", "youll": "you'll", "thats": "that's",
     "whats": "what's", "theres": "there's", "weve": "we've", "theyre": "they're"}

# Negation in a clause: "teraz nie mam" / "jetzt kann ich nicht" / "I can't now" is no plan part.
NEGATION: dict[str, str] = {
    "pl": r"\bnie\b",
    "de": r"\b(?:nicht|kein\w*)\b",
    "en": r"\b(?:not|no|cannot)\b|n't\b",
}
