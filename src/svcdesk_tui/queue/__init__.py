"""The live queue and its measures: waiting calls, agents, service level, load, Erlang C."""
