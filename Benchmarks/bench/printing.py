"""The printed report's number format and its goal rows (a goal is reported met or missed, never asserted)."""


def fmt(value, digits=1):
    """A number with thousands separators and `digits` decimals (floats); n/a for None and NaN."""
    if value is None or (isinstance(value, float) and value != value):
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def goal_row(goals, name, value, target, met, unit=""):
    goals.append({"goal": name, "value": value, "target": target, "met": met, "unit": unit})


def print_goals(goals, out):
    out("\nGoals")
    for g in goals:
        value = fmt(g["value"], 2) if isinstance(g["value"], float) else fmt(g["value"])
        out(f"   {'MET ' if g['met'] else 'MISS'}  {g['goal']:<40} {value} {g['unit']}  (goal {g['target']})")
