"""Following a live transcript that a local speech-to-text tool writes: the line format (JSON
Lines schema version 1, WebVTT, SRT), the file follower (tail -F), converters from each tool's own
output, the card policy (few, timely objection cards, only for the customer) and the live
transcript of a meeting. The engine never handles audio.

Import the modules themselves (`playbook.transcript.follower`, ...): this package re-exports
nothing, so that the meeting and the store can be imported without it."""
