"""The answer bot: answers from what the asker may read, with citations; hands over to a person."""
