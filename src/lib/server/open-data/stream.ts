/** A bulk file as a stream: one batch of records read from the database per pull. */

const encoder = new TextEncoder();

/**
 * Streams the text of each batch as the client reads, so a large dataset never sits in memory as
 * one string. `head` is written first (the CSV header line). A failure mid-stream is logged and
 * errors the stream, so the client sees a broken download rather than a short file that looks whole.
 */
export function textStream(
	label: string,
	batches: Iterator<string>,
	head = ''
): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>(
		{
			start(controller) {
				if (head) controller.enqueue(encoder.encode(head));
			},
			pull(controller) {
				try {
					const next = batches.next();
					if (next.done) controller.close();
					else controller.enqueue(encoder.encode(next.value));
				} catch (failure) {
					console.error(`bulk download ${label} failed`, failure);
					controller.error(failure);
				}
			},
			cancel() {
				batches.return?.();
			}
		},
		// Read the next batch only when the previous one has been sent.
		{ highWaterMark: 0 }
	);
}
