from readinglist.launch import main

raise SystemExit(main())
