"""Village cadres' checks, pure: each returns the refusal's message or ``None``;
``party.services.cadres`` and ``party.importers.cadres`` both call them."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from zhenxing.party.models import Post

#: Posts only a full party member may hold (预备党员无被选举权).
PARTY_POSTS = (Post.PARTY_SECRETARY, Post.PARTY_DEPUTY, Post.PARTY_MEMBER, Post.PARTY_GROUP_LEADER)


def term_refusal(started_on: dt.date, term_ends_on: dt.date) -> str | None:
    if term_ends_on <= started_on:
        return _("The term ends after it starts.")
    return None


def end_refusal(started_on: dt.date, ended_on: dt.date) -> str | None:
    if ended_on < started_on:
        return _("A post cannot end before it started.")
    return None


def party_post_refusal(post: str, full_member: bool) -> str | None:
    if post in PARTY_POSTS and not full_member:
        return _("Only a full party member can hold a post in the party organisation.")
    return None


def combined_refusal(name: str, post_label: object, village_name: object) -> str:
    """The person already holds a post that cannot be combined with the new one."""
    return _("%(name)s already holds %(post)s in %(village)s, which cannot be combined.") % {
        "name": name,
        "post": post_label,
        "village": village_name,
    }


def seat_taken_refusal(holder_name: str) -> str:
    """A single-seat post someone holds with no end."""
    return _("%(name)s holds this post: end their term first.") % {"name": holder_name}
