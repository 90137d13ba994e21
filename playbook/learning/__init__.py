"""What the team learns from its meetings: the learning tables written as meetings go
(projection), the team's record blended into the meeting's response ranking (evidence), the
manager's report (report, render), the phrasings customers really use turned into a playbook
overlay (learn), and simulated meetings for tests and benchmarks (simulate)."""
