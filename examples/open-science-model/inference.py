"""Generate text with Nimbus: python inference.py --prompt "..." """
import argparse

from transformers import AutoModelForCausalLM, AutoTokenizer

parser = argparse.ArgumentParser()
parser.add_argument("--prompt", required=True)
args = parser.parse_args()
tok = AutoTokenizer.from_pretrained(".")
model = AutoModelForCausalLM.from_pretrained(".", trust_remote_code=True)
out = model.generate(**tok(args.prompt, return_tensors="pt"), max_new_tokens=50)
print(tok.decode(out[0], skip_special_tokens=True))
