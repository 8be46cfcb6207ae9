"""Minimal chat loop for Lumen-8B-Instruct."""
from transformers import pipeline

chat = pipeline("text-generation", model=".")
history = []
while True:
    history.append({"role": "user", "content": input("> ")})
    reply = chat(history, max_new_tokens=256)[0]["generated_text"][-1]
    history.append(reply)
    print(reply["content"])
