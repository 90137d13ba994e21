"""What customers say in the field, for simulated meetings: words the built-in playbook was not
written with. Written by hand, in families of three ways to say the same thing; a simulated
customer says only the first two of each family, and the third is held back: never recorded,
never learned from, kept to measure whether `playbook learn` helps with words it has not seen.

Some families are deliberately close to another category (a competitor's cheaper quote is also
a price objection); `learn` should refuse what lint would call ambiguous among them.
"""

from __future__ import annotations

FAMILIES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "price": (
        ("That's way more than we pencilled in", "We pencilled in maybe half of that figure",
         "We only pencilled in a fraction of what you're asking"),
        ("Finance will choke on that number", "My CFO is going to choke when she sees this number",
         "The numbers guy will choke on a figure like that"),
        ("The sticker shock is real here", "Honestly the sticker shock on this is hard",
         "That's some serious sticker shock for us"),
        ("We can't stretch the wallet that far", "Our wallet doesn't stretch to this",
         "There's no way the wallet stretches that much"),
        ("For that money I could hire an intern for a year", "That's an intern's salary for a year",
         "We could pay a full-time intern with that money"),
    ),
    "timing": (
        ("Come back after the trade show season", "Let's revisit once trade show season is over",
         "After the trade shows we can talk again"),
        ("We're slammed until the audit wraps up", "Nothing moves until the audit wraps up",
         "Once the audit is wrapped up, maybe"),
        ("Ping me again in the new fiscal", "Reach out again in the new fiscal year",
         "New fiscal, new conversation, not before"),
        ("We're mid-reorg, bad moment", "The reorg makes this a bad moment",
         "With the reorg going on it's the wrong moment"),
        ("Our plate is full through the summer", "The plate's full until after summer",
         "Plate is too full this summer to take it on"),
    ),
    "need": (
        ("Our spreadsheets do the job fine", "Honestly the spreadsheets do the job",
         "We manage fine with our spreadsheets"),
        ("It's a nice to have, not a must", "This is firmly a nice to have for us",
         "Nice to have at best"),
        ("We don't have that headache", "That headache isn't one we have",
         "Not a headache we actually suffer from"),
        ("The team never asked for anything like this", "Nobody on the team ever asked for this",
         "No one here has asked for a tool like that"),
        ("We solved that in house years ago", "We built something in house for that ages ago",
         "Our in-house fix covers that already"),
    ),
    "product": (
        ("It doesn't talk to our ERP", "There's no way it talks to our ERP",
         "If it can't talk to the ERP it's useless"),
        ("The screens look clunky and dated", "The interface looks dated and clunky",
         "Pretty clunky screens, to be honest"),
        ("No offline mode is a dealbreaker for our drivers", "Our drivers need an offline mode",
         "Without offline mode the drivers can't use it"),
        ("The reporting module is too thin", "Your reporting module feels thin",
         "Reporting looks thin compared to what we need"),
        ("It won't cope with our number of SKUs", "Our SKU count will break it",
         "Too many SKUs for your tool to cope"),
    ),
    "messenger": (
        ("Never heard of your company before today", "Your company name rings no bell",
         "I'd never come across your firm before"),
        ("The last rep from your firm ghosted us", "Your previous rep ghosted us mid project",
         "We got ghosted by your people last time"),
        ("You're a startup, will you even exist next year", "Startups like yours fold within a year",
         "How do I know your startup won't fold"),
        ("Your support burned us back in 2019", "We got burned by your support before",
         "Your support team burned us once already"),
        ("I don't buy from cold callers", "Cold callers don't get my business",
         "We never buy from a cold call"),
    ),
    "authority": (
        ("That's above my pay grade", "This sits above my pay grade",
         "Way above my pay grade to sign"),
        ("Procurement has the final word", "Procurement gets the final word on vendors",
         "Final word is procurement's, not mine"),
        ("I'd need the board's blessing", "Nothing happens without the board's blessing",
         "The board has to bless anything like this"),
        ("My boss signs off on all software", "Software needs my boss to sign off",
         "Sign-off on software is my boss's call"),
        ("Head office picks the tools, not us", "Tools are picked by head office",
         "Head office decides on tools for the branches"),
    ),
    "competitor": (
        ("We're locked into a three year deal with Acme", "Our deal with Acme runs three more years",
         "Acme has us locked in for years"),
        ("Our current vendor just matched your features", "The incumbent matched every feature you listed",
         "Our vendor already matches all of that"),
        ("We love the people at our current provider", "The team at our current supplier are like family",
         "We're loyal to our current supplier's people"),
        ("Your rival quoted us thirty percent less", "The other vendor came in thirty percent under you",
         "We got a quote thirty percent cheaper from another vendor"),
        ("We just renewed with the other guys", "Renewed with our existing provider last month",
         "The renewal with the other guys is already signed"),
    ),
    "brush_off": (
        ("Shoot me a deck and I'll have a look", "Just shoot over a deck",
         "Send a deck over, I'll look when I can"),
        ("Put it in an email, I'm running", "Email me the gist, I have to run",
         "I'm running late, drop me an email"),
        ("We'll circle back to you", "Let us circle back internally",
         "We'll circle back if it's relevant"),
        ("Not interested right now thanks", "Thanks but no interest at the moment",
         "No interest for now, thanks"),
        ("Leave your card at reception", "Just leave a card at the front desk",
         "Drop your card at reception on your way out"),
    ),
    "risk": (
        ("If the migration goes sideways we're toast", "A migration going sideways would sink us",
         "One botched migration and we're toast"),
        ("What if you lose our data", "Losing our data would be a catastrophe",
         "I can't risk you losing the data"),
        ("The rollout could stall our warehouse", "A rollout stalling the warehouse is my nightmare",
         "The warehouse can't stall during a rollout"),
        ("My people will revolt at another new tool", "Staff will revolt if we change tools again",
         "Another tool change and the staff revolts"),
        ("I've seen these projects blow the timeline", "These projects always blow the timeline",
         "IT projects like this blow every timeline"),
    ),
}


def spoken(objection: str) -> tuple[str, ...]:
    """What a simulated customer may say for an objection: the first two of each family."""
    return tuple(text for family in FAMILIES.get(objection, ()) for text in family[:2])


def held_back() -> list[tuple[str, str]]:
    """(phrasing, objection) never said in a simulated meeting: the third of each family."""
    return [(family[2], objection) for objection, families in FAMILIES.items() for family in families]
