"""The Complaints screen (key 3) and the complaint forms any screen can open."""
