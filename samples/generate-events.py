#!/usr/bin/env python3
"""Writes N synthetic web, email and download events as replay JSON Lines, for measuring replay.

    samples/generate-events.py 1000000 > /tmp/events-1m.jsonl
    bin/lead-scoring replay --rules samples/rules.yaml --events /tmp/events-1m.jsonl > /dev/null

Deterministic (fixed seed): 20,000 leads, one event every 5 seconds of event time.
"""
import json
import random
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
leads = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
random.seed(7)
paths = ["/blog/a", "/blog/b/c", "/pricing", "/demo", "/careers", "/customers/x", "/"]
t0 = 1790000000000
out = sys.stdout
for i in range(count):
    lead = f"lead-{random.randrange(leads)}"
    t = t0 + i * 5000
    r = random.random()
    if r < 0.6:
        event = dict(source="web", eventId=f"e{i}", leadId=lead, occurredAt=t,
                     url="https://www.example.com" + random.choice(paths),
                     action=random.choice(["PAGE_VIEW", "PAGE_VIEW", "FORM_SUBMIT"]))
    elif r < 0.9:
        event = dict(source="email", eventId=f"e{i}", leadId=lead, occurredAt=t,
                     type=random.choice(["OPENED", "CLICKED", "DELIVERED"]), emailKind="offer")
    else:
        event = dict(source="download", eventId=f"e{i}", leadId=lead, occurredAt=t, assetId="a1",
                     assetType=random.choice(["WHITEPAPER", "EBOOK", "WEBINAR"]))
    out.write(json.dumps(event) + "\n")
