// One non-stream and one stream call with the official openai npm client; prints a JSON summary.
import OpenAI from "openai";

const [baseURL, apiKey, chatId] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });

const completion = await client.chat.completions.create({
  model: "ignored",
  messages: [{ role: "user", content: "node non-stream" }],
  chatId,
});
const stream = await client.chat.completions.create({
  model: "ignored",
  messages: [{ role: "user", content: "node stream" }],
  stream: true,
  chatId,
});
let streamed = "";
let finish = null;
for await (const chunk of stream) {
  streamed += chunk.choices[0]?.delta?.content ?? "";
  finish = chunk.choices[0]?.finish_reason ?? finish;
}
console.log(JSON.stringify({ content: completion.choices[0].message.content, finish: completion.choices[0].finish_reason, streamed, streamFinish: finish }));
